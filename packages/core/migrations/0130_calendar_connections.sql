-- @gomomo/channels: calendars connected to resources (issue 18). The OAuth refresh token is not
-- here: it lives in core's encrypted secrets store under `calendar:<connection id>`.
-- `status` 'revoked' means the grant was refused (invalid_grant): the resource is back to
-- database-only until someone connects it again. `sync_token` is the provider's incremental sync
-- cursor (not a credential).
CREATE TABLE calendar_connections (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  resource_id uuid NOT NULL,
  provider text NOT NULL CHECK (provider IN ('google', 'microsoft')),
  calendar_id text NOT NULL DEFAULT 'primary' CHECK (length(calendar_id) BETWEEN 1 AND 1024),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  sync_token text,
  synced_at timestamptz,
  last_error text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, resource_id, provider),
  FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX calendar_connections_due ON calendar_connections (synced_at NULLS FIRST) WHERE status = 'active';

-- A started authorization: the state is stored as its SHA-256 only, single use, ten minutes, and
-- bound to whoever started it (`bound_to`: a hash of the staff session, or for now of the API key
-- and the browser cookie set when the flow began). The PKCE verifier (RFC 7636) never leaves the server.
CREATE TABLE calendar_oauth_states (
  state_hash text PRIMARY KEY CHECK (state_hash ~ '^[0-9a-f]{64}$'),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  resource_id uuid NOT NULL,
  provider text NOT NULL CHECK (provider IN ('google', 'microsoft')),
  bound_to text NOT NULL CHECK (bound_to ~ '^[0-9a-f]{64}$'),
  code_verifier text NOT NULL CHECK (length(code_verifier) BETWEEN 43 AND 128),
  expires_at timestamptz NOT NULL,
  FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, id) ON DELETE CASCADE
);

ALTER TABLE calendar_connections ENABLE ROW LEVEL SECURITY;
ALTER TABLE calendar_connections FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON calendar_connections USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON calendar_connections TO gomomo_app;
ALTER TABLE calendar_oauth_states ENABLE ROW LEVEL SECURITY;
ALTER TABLE calendar_oauth_states FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON calendar_oauth_states USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON calendar_oauth_states TO gomomo_app;
