-- @gomomo/server: API keys, allowed browser origins and idempotent responses.

-- A tenant's API keys. Only the SHA-256 of a key is stored; the key itself is shown once at
-- creation. `last4` lets people tell keys apart in a listing without revealing them.
CREATE TABLE api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('secret', 'publishable')),
  name text NOT NULL DEFAULT '' CHECK (length(name) <= 100),
  key_hash text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  prefix text NOT NULL,
  last4 text NOT NULL CHECK (length(last4) = 4),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id, created_at);

-- Web origins (scheme://host[:port]) from which the tenant's publishable keys are accepted and to
-- which CORS is opened.
CREATE TABLE allowed_origins (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  origin text NOT NULL CHECK (origin ~ '^https?://[^/]+$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, origin)
);
CREATE INDEX allowed_origins_origin ON allowed_origins (origin);

-- Responses of booking mutations sent with an Idempotency-Key, so a retried request returns the
-- first result instead of acting twice. A row with a NULL response is a request still in flight.
CREATE TABLE idempotency_keys (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  procedure text NOT NULL,
  request_hash text NOT NULL,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  PRIMARY KEY (tenant_id, key)
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['api_keys', 'allowed_origins', 'idempotency_keys'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id))', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO gomomo_app', t);
  END LOOP;
END
$$;
