-- Issue 13 ("anyone can drain a calendar"): each new conversation could hold a slot, with no cap per
-- client. The receptionist (@gomomo/agent) records who asked for each hold it makes, so it can ration
-- holds per client address and keep anonymous holds to a share of the tenant's open slots. The
-- address is stored as a hash (equality is all the quota needs); rows older than a day are pruned.
CREATE TABLE agent_hold_origins (
  hold_id uuid PRIMARY KEY REFERENCES holds (id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  session_id text NOT NULL CHECK (length(session_id) BETWEEN 1 AND 200),
  -- sha256 of the client address; null when the channel gave none (SMS, voice).
  client_ref text CHECK (length(client_ref) = 64),
  -- The conversation had a contact the channel vouched for, or one given earlier, when it held.
  is_verified boolean NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX agent_hold_origins_client ON agent_hold_origins (tenant_id, client_ref, created_at) WHERE client_ref IS NOT NULL;
CREATE INDEX agent_hold_origins_unverified ON agent_hold_origins (tenant_id, created_at) WHERE NOT is_verified;

ALTER TABLE agent_hold_origins ENABLE ROW LEVEL SECURITY;
ALTER TABLE agent_hold_origins FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agent_hold_origins USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id));
GRANT SELECT, INSERT, DELETE ON agent_hold_origins TO gomomo_app;
