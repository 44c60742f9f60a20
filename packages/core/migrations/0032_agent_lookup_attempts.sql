-- Failed booking lookups of the receptionist (@gomomo/agent), counted per reference, per contact
-- and per client address rather than per conversation: a new session id used to reset the count,
-- and unknown references never counted, so references could be tried at the full rate limit.
-- Keys are stored as SHA-256 hashes of "<kind>:<value>": the table must not become a list of
-- contacts and addresses. A fixed window per key: the first failure after the window lapsed
-- starts a new one.
CREATE TABLE agent_lookup_attempts (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  key_hash text NOT NULL CHECK (length(key_hash) = 64),
  key_kind text NOT NULL CHECK (key_kind IN ('reference', 'contact', 'address')),
  failures integer NOT NULL CHECK (failures > 0),
  window_start timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, key_hash)
);
CREATE INDEX agent_lookup_attempts_window ON agent_lookup_attempts (window_start);

ALTER TABLE agent_lookup_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE agent_lookup_attempts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agent_lookup_attempts USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON agent_lookup_attempts TO gomomo_app;
