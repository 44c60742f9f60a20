-- Issue 14 item 2: a waitlist offer sent by email (or to a customer who prefers a link) carries a
-- link that opens the widget on the held slot. The link's token is a single-use bearer secret of 256
-- bits; only its SHA-256 is kept here. The receptionist (@gomomo/agent) owns it because redeeming it
-- starts a conversation and hands the offer's hold to it. It lapses with the hold.
CREATE TABLE agent_offer_links (
  token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  hold_id uuid NOT NULL REFERENCES holds (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL
);
CREATE INDEX agent_offer_links_hold ON agent_offer_links (hold_id);
-- Opened links whose hold may still be active: a turn reads these so no other conversation takes them.
CREATE INDEX agent_offer_links_opened ON agent_offer_links (tenant_id, expires_at) WHERE used_at IS NOT NULL;

ALTER TABLE agent_offer_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE agent_offer_links FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agent_offer_links USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE ON agent_offer_links TO gomomo_app;
