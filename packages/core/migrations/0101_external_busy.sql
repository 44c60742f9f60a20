-- @gomomo/core: busy time from outside the engine (issue 18): a resource's Google or Microsoft
-- calendar, later an ICS feed. One row per external event and source, so an incremental sync can
-- add, move or drop a single event. Availability treats these like claims (the buffered range of a
-- slot may not overlap them) and the hold checks them again under the resource's lock, so a block
-- synced after availability was read still refuses the slot. Plain `starts_at`/`ends_at`, not a
-- range: under RLS only leakproof operators drive an index scan (see 0002).
CREATE TABLE external_busy (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  resource_id uuid NOT NULL,
  source text NOT NULL CHECK (source ~ '^[a-z0-9][a-z0-9:._-]{0,199}$'),
  external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 1024),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  CHECK (ends_at > starts_at),
  PRIMARY KEY (tenant_id, resource_id, source, external_id),
  FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX external_busy_span ON external_busy (tenant_id, resource_id, starts_at, ends_at);

ALTER TABLE external_busy ENABLE ROW LEVEL SECURITY;
ALTER TABLE external_busy FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON external_busy USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON external_busy TO gomomo_app;
