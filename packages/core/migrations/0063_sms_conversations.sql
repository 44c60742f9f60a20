-- @gomomo/channels, inbound SMS: one conversation per business and phone number. The session id
-- handed to the receptionist is opaque and random (`sms_` + 32 hex digits), not derived from the
-- number: a person who texts two businesses on one deployment has two conversations, and the number
-- never lands in the places a session id goes (audit rows, events, logs).
CREATE TABLE sms_conversations (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  phone text NOT NULL CHECK (length(phone) BETWEEN 3 AND 32),
  session_id text NOT NULL UNIQUE CHECK (session_id ~ '^sms_[0-9a-f]{32}$'),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, phone)
);

ALTER TABLE sms_conversations ENABLE ROW LEVEL SECURITY;
ALTER TABLE sms_conversations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sms_conversations USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON sms_conversations TO gomomo_app;
