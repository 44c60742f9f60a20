-- Hand-off to a person (@gomomo/agent, issue 17). A conversation is the receptionist's ('ai') until
-- the customer asks for a person or the receptionist fails twice in a row ('needs_staff'); a staff
-- member then takes it over ('staff') and the receptionist stays silent in it — customer messages
-- are stored, no reply is written and no tool runs — until staff hand it back ('ai').
-- `handoff_staff_id` is the console's staff id (text: the agent does not own the staff table).
-- `failure_streak` counts consecutive failed turns (an apology, or a tool that failed internally).
ALTER TABLE agent_sessions
  ADD COLUMN handoff text NOT NULL DEFAULT 'ai' CHECK (handoff IN ('ai', 'needs_staff', 'staff')),
  ADD COLUMN handoff_reason text CHECK (handoff_reason IN ('asked', 'failures')),
  ADD COLUMN handoff_staff_id text CHECK (length(handoff_staff_id) BETWEEN 1 AND 100),
  ADD COLUMN handoff_at timestamptz,
  ADD COLUMN failure_streak smallint NOT NULL DEFAULT 0 CHECK (failure_streak >= 0),
  ADD CONSTRAINT agent_sessions_handoff_holder CHECK ((handoff = 'staff') = (handoff_staff_id IS NOT NULL));
CREATE INDEX agent_sessions_handoff ON agent_sessions (tenant_id, handoff_at DESC) WHERE handoff <> 'ai';

-- Staff replies are part of the transcript, next to the customer's words and the receptionist's.
ALTER TABLE agent_messages DROP CONSTRAINT agent_messages_role_check;
ALTER TABLE agent_messages
  ADD CONSTRAINT agent_messages_role_check CHECK (role IN ('user', 'assistant', 'tool', 'staff')),
  ADD COLUMN staff_id text CHECK (length(staff_id) BETWEEN 1 AND 100),
  ADD CONSTRAINT agent_messages_staff_author CHECK ((role = 'staff') = (staff_id IS NOT NULL));
