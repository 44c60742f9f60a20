-- @gomomo/channels, voice: the phone. A receiving number now says what it receives (SMS, voice or
-- both); a call is a row of state (so any process can take the next webhook or the reconnected
-- socket), and each turn of it is kept with what was heard and what was said.

-- Numbers registered before voice existed received SMS only: they keep exactly that.
ALTER TABLE phone_numbers ADD COLUMN capabilities text[] NOT NULL DEFAULT ARRAY['sms']::text[]
  CHECK (cardinality(capabilities) BETWEEN 1 AND 2 AND capabilities <@ ARRAY['sms', 'voice']::text[]);

-- One row per call. The session id handed to the receptionist is opaque (`voice_` + 32 hex digits),
-- like SMS's: the caller's number never lands where a session id goes. `state` holds what the
-- channel itself must remember between turns (a read-back waiting for its yes, an "at 7" waiting
-- for morning or evening, re-prompt counts), so a turn can land on any process.
CREATE TABLE voice_calls (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  call_sid text NOT NULL UNIQUE CHECK (call_sid ~ '^CA[0-9a-f]{32}$'),
  from_number text NOT NULL CHECK (length(from_number) BETWEEN 3 AND 32),
  to_number text NOT NULL CHECK (length(to_number) BETWEEN 3 AND 32),
  session_id text NOT NULL UNIQUE CHECK (session_id ~ '^voice_[0-9a-f]{32}$'),
  transport text NOT NULL CHECK (transport IN ('gather', 'relay')),
  -- live: in progress; the rest are Twilio's final CallStatus values, or ours (busy_limit: refused
  -- at the per-tenant concurrent call limit; transferred: handed to staff).
  status text NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'transferred', 'completed', 'busy', 'no-answer', 'failed', 'canceled', 'busy_limit')),
  state jsonb NOT NULL DEFAULT '{}'::jsonb,
  turn_count integer NOT NULL DEFAULT 0 CHECK (turn_count >= 0),
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  duration_seconds integer CHECK (duration_seconds >= 0),
  PRIMARY KEY (tenant_id, call_sid)
);
CREATE INDEX voice_calls_live ON voice_calls (tenant_id) WHERE status = 'live';

-- One row per turn: what was heard (and how sure Twilio was), what we said, the tools the turn ran
-- and how long we took. The seq makes a retried webhook's turn a no-op.
CREATE TABLE voice_turns (
  tenant_id uuid NOT NULL,
  call_sid text NOT NULL,
  seq integer NOT NULL CHECK (seq >= 1),
  input text NOT NULL CHECK (input IN ('speech', 'dtmf', 'none', 'system')),
  heard text NOT NULL DEFAULT '' CHECK (length(heard) <= 4000),
  confidence real CHECK (confidence BETWEEN 0 AND 1),
  said text NOT NULL DEFAULT '' CHECK (length(said) <= 8000),
  tool_events jsonb NOT NULL DEFAULT '[]'::jsonb,
  latency_ms integer NOT NULL DEFAULT 0 CHECK (latency_ms >= 0),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, call_sid, seq),
  FOREIGN KEY (tenant_id, call_sid) REFERENCES voice_calls (tenant_id, call_sid) ON DELETE CASCADE
);

-- Calls to a number no tenant takes calls on (the caller heard a polite message). No tenant, so the
-- operator's record lives here, the caller stored only as a keyed pseudonym.
CREATE TABLE voice_calls_unrouted (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  to_number text NOT NULL CHECK (length(to_number) BETWEEN 1 AND 32),
  from_ref text NOT NULL CHECK (length(from_ref) = 64),
  call_sid text NOT NULL CHECK (length(call_sid) BETWEEN 1 AND 64),
  received_at timestamptz NOT NULL
);
CREATE INDEX voice_calls_unrouted_time ON voice_calls_unrouted (received_at);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['voice_calls', 'voice_turns'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id))', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO gomomo_app', t);
  END LOOP;
END
$$;
