-- One turn at a time per conversation (@gomomo/agent). A turn claims the session's lease when it
-- opens and gives it back in the same statement that saves it. A lease, not a lock held for the
-- whole turn: a model call can take many seconds, and a transaction (a pooled connection) must not
-- stay open across it. The expiry uses the database's clock, so a process that died mid-turn only
-- blocks its conversation until `turn_expires_at`, and instances with skewed clocks agree.
ALTER TABLE agent_sessions
  ADD COLUMN turn_token uuid,
  ADD COLUMN turn_expires_at timestamptz,
  ADD CONSTRAINT agent_sessions_turn_lease CHECK ((turn_token IS NULL) = (turn_expires_at IS NULL));
