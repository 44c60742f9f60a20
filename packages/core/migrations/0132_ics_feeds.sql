-- @gomomo/channels: ICS feeds (issue 18 item 4), both directions.
--
-- `ics_subscriptions`: a resource's bookings as a subscription feed at a secret URL. The token is
-- stored as its SHA-256 only, so a database dump cannot subscribe; one per resource, and
-- re-creating it replaces (so revokes) the old one. Deleting the row revokes the URL.
CREATE TABLE ics_subscriptions (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  resource_id uuid NOT NULL,
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, resource_id),
  FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, id) ON DELETE CASCADE
);

-- `ics_imports`: an outside ICS URL whose events are busy time for a resource (written into core's
-- external_busy under the source `ics:<id>`). The URL itself often carries a secret (a private
-- calendar address), so it lives in core's encrypted secrets store under `ics:<id>`; only its host
-- is kept here, for display. `etag`/`last_modified` make the next fetch conditional (RFC 9110
-- §13.1); `expanded_until` is how far its recurring events were expanded (a 304 keeps those blocks
-- until the booking horizon outgrows them, then the feed is fetched in full); `failing_since` starts the bounded time the last good busy time is kept, and
-- `escalated_at` says staff were told.
CREATE TABLE ics_imports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  resource_id uuid NOT NULL,
  host text NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
  etag text CHECK (length(etag) <= 1024),
  last_modified text CHECK (length(last_modified) <= 100),
  expanded_until timestamptz,
  fetched_at timestamptz,
  succeeded_at timestamptz,
  failing_since timestamptz,
  escalated_at timestamptz,
  last_error text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX ics_imports_due ON ics_imports (fetched_at NULLS FIRST);
CREATE INDEX ics_imports_resource ON ics_imports (tenant_id, resource_id);

ALTER TABLE ics_subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE ics_subscriptions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ics_subscriptions USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON ics_subscriptions TO gomomo_app;
ALTER TABLE ics_imports ENABLE ROW LEVEL SECURITY;
ALTER TABLE ics_imports FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ics_imports USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON ics_imports TO gomomo_app;
