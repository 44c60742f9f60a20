-- @gomomo/channels: which provider event mirrors which appointment, for providers that choose
-- their own event ids (Microsoft Graph). Google takes our deterministic id and needs no row here.
CREATE TABLE calendar_event_links (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  appointment_id uuid NOT NULL,
  connection_id uuid NOT NULL REFERENCES calendar_connections (id) ON DELETE CASCADE,
  event_id text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 1024),
  PRIMARY KEY (tenant_id, appointment_id, connection_id)
);

ALTER TABLE calendar_event_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE calendar_event_links FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON calendar_event_links USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON calendar_event_links TO gomomo_app;
