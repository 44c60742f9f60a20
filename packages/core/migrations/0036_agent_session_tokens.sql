-- Conversations of the receptionist (@gomomo/agent) are bearer secrets issued by the server. A web
-- conversation is started by the server, which hands the caller a random token (256 bits) once and
-- keeps only its SHA-256 here; every later call presents the token. The session id stays internal
-- (holds, events and audit rows name it) and is no longer enough to read or act in a conversation.
-- Conversations from before this migration have no token: staff (secret keys) still reach them by
-- id, visitors start a new one.
ALTER TABLE agent_sessions
  ADD COLUMN token_hash bytea CHECK (token_hash IS NULL OR length(token_hash) = 32);
CREATE UNIQUE INDEX agent_sessions_token ON agent_sessions (token_hash) WHERE token_hash IS NOT NULL;
