-- @gomomo/server: single-use tickets for event streams. A browser's EventSource cannot send
-- headers, so a stream's credentials would travel in its URL, where proxies and access logs keep
-- them. Instead the caller POSTs its key and session token (headers) for a ticket that opens one
-- stream within a minute and is spent when it does; a logged stream URL is then worthless. Only the
-- SHA-256 of a ticket is stored. `key_id` lets per-key stream limits count ticketed streams.
CREATE TABLE stream_tickets (
  ticket_hash bytea PRIMARY KEY CHECK (length(ticket_hash) = 32),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  session_id text NOT NULL CHECK (length(session_id) BETWEEN 1 AND 200),
  key_id uuid,
  expires_at timestamptz NOT NULL
);
CREATE INDEX stream_tickets_expiry ON stream_tickets (expires_at);

ALTER TABLE stream_tickets ENABLE ROW LEVEL SECURITY;
ALTER TABLE stream_tickets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON stream_tickets USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON stream_tickets TO gomomo_app;
