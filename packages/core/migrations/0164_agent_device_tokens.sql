-- Remembered devices of the receptionist (@gomomo/agent, issue 20 item 2): after a web conversation
-- proved its contact with a one-time code, the customer may let the widget remember them on this
-- device, opt-in and only where the tenant turned it on. The widget keeps an opaque random token
-- (256 bits); this row keeps only its SHA-256, so a copy of the table opens nothing.
-- The contact is never in the token nor in the browser: here it is a SHA-256 key (the one the codes
-- use, for "revoke all of a customer's devices") and the contact sealed with AES-256-GCM under a key
-- derived from the token itself, so only a visit presenting the token can name the customer.
-- A token is bound to its tenant (RLS and the tenant_id) and to the site origin that asked for it.
CREATE TABLE agent_device_tokens (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  contact_hash text NOT NULL CHECK (length(contact_hash) = 64),
  sealed_contact text NOT NULL CHECK (length(sealed_contact) <= 1000),
  origin text NOT NULL CHECK (length(origin) BETWEEN 1 AND 255),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by text CHECK (revoked_by IN ('customer', 'staff')),
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX agent_device_tokens_contact ON agent_device_tokens (tenant_id, contact_hash) WHERE revoked_at IS NULL;

ALTER TABLE agent_device_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE agent_device_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agent_device_tokens USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON agent_device_tokens TO gomomo_app;

-- The device a conversation was opened with, or remembered on: its contact counts as proven in this
-- conversation for as long as the device is not revoked (identity/codes.ts isContactProven).
ALTER TABLE agent_sessions ADD COLUMN device_id uuid REFERENCES agent_device_tokens (id) ON DELETE SET NULL;
