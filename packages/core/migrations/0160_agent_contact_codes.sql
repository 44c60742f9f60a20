-- One-time codes of the receptionist (@gomomo/agent, issue 20 item 1): before a conversation sees
-- or changes a booking it proves the contact on it by typing a 6-digit code sent there. A row is
-- one code sent; `proven_at` marks the contact proven for the rest of the conversation.
-- Nothing here is a contact or a code in clear: the contact and client address are SHA-256 hashes
-- of "<kind>:<value>", the code a salted SHA-256 (it lives 10 minutes, and at most 5 tries).
-- Rows also count the codes sent per contact and per client address (the rate limit).
CREATE TABLE agent_contact_codes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  session_id text NOT NULL CHECK (length(session_id) BETWEEN 1 AND 200),
  contact_hash text NOT NULL CHECK (length(contact_hash) = 64),
  address_hash text CHECK (address_hash IS NULL OR length(address_hash) = 64),
  code_salt text NOT NULL CHECK (length(code_salt) = 32),
  code_hash text NOT NULL CHECK (length(code_hash) = 64),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  proven_at timestamptz
);
CREATE INDEX agent_contact_codes_session ON agent_contact_codes (tenant_id, session_id, id DESC);
CREATE INDEX agent_contact_codes_contact ON agent_contact_codes (tenant_id, contact_hash, created_at);
CREATE INDEX agent_contact_codes_address ON agent_contact_codes (tenant_id, address_hash, created_at) WHERE address_hash IS NOT NULL;

ALTER TABLE agent_contact_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE agent_contact_codes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agent_contact_codes USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON agent_contact_codes TO gomomo_app;
GRANT USAGE ON SEQUENCE agent_contact_codes_id_seq TO gomomo_app;
