-- Conversations of the receptionist (@gomomo/agent). A session id is chosen by the caller (the
-- widget's random id, or one derived from tenant + phone for SMS) and is globally unique, so a
-- session is bound to the tenant of its first turn: a later turn from another tenant collides on
-- the primary key and is refused, even though Row-Level Security hides the row from it.
CREATE TABLE agent_sessions (
  id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 200),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  channel text NOT NULL CHECK (channel IN ('web', 'sms', 'voice')),
  contact_name text CHECK (length(contact_name) <= 200),
  contact_email text CHECK (length(contact_email) <= 254),
  contact_phone text CHECK (length(contact_phone) <= 32),
  -- Brain-owned working memory (the offline brain's slot filling); small, replaced each turn.
  state jsonb NOT NULL DEFAULT '{}'::jsonb,
  turn_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (tenant_id, id)
);
CREATE INDEX agent_sessions_recent ON agent_sessions (tenant_id, updated_at DESC);

CREATE TABLE agent_messages (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL,
  session_id text NOT NULL,
  role text NOT NULL CHECK (role IN ('user', 'assistant', 'tool')),
  content text NOT NULL CHECK (length(content) <= 20000),
  -- assistant messages that asked for tools keep the calls; tool messages name the call they answer.
  tool_calls jsonb,
  tool_call_id text,
  tool_name text,
  created_at timestamptz NOT NULL,
  FOREIGN KEY (tenant_id, session_id) REFERENCES agent_sessions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX agent_messages_session ON agent_messages (tenant_id, session_id, id);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['agent_sessions', 'agent_messages'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id))', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO gomomo_app', t);
  END LOOP;
END
$$;
GRANT USAGE ON SEQUENCE agent_messages_id_seq TO gomomo_app;
