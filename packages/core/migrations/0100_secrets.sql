-- @gomomo/core: encrypted secrets (OAuth refresh tokens and the like), issue 18.
--
-- Each value is sealed with AES-256-GCM under one of the deployment's keys (GOMOMO_ENCRYPTION_KEYS):
-- a random 96-bit nonce per value (NIST SP 800-38D §8.2), the 128-bit tag beside it, and the id of
-- the key that sealed it, so several keys can be read during a rotation and a start can name the key
-- it lacks. The database never sees a key or a plaintext. `version` moves on every write: rotation
-- re-seals a row only if it is still the version it read (compare-and-swap), so it is safe while
-- the API writes.
CREATE TABLE secrets (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9:._-]{0,199}$'),
  key_id text NOT NULL CHECK (key_id ~ '^[A-Za-z0-9_-]{1,32}$'),
  nonce bytea NOT NULL CHECK (length(nonce) = 12),
  ciphertext bytea NOT NULL,
  tag bytea NOT NULL CHECK (length(tag) = 16),
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, name)
);
CREATE INDEX secrets_key_id ON secrets (key_id);

ALTER TABLE secrets ENABLE ROW LEVEL SECURITY;
ALTER TABLE secrets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON secrets USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON secrets TO gomomo_app;
