-- The role every tenant-scoped transaction switches to (SET LOCAL ROLE gomomo_app), so that Row-Level
-- Security applies even when the process connects as the owner. Roles are cluster-wide: another
-- database in the same cluster may have created it already.
DO $$
BEGIN
  CREATE ROLE gomomo_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;
GRANT gomomo_app TO CURRENT_USER;

-- btree_gist lets one EXCLUDE constraint combine equality on ids with overlap on time ranges.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- The tenant of the current transaction, or NULL outside withTenant().
CREATE FUNCTION gomomo_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE TABLE tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  time_zone text NOT NULL,
  lookahead_days integer NOT NULL DEFAULT 14 CHECK (lookahead_days BETWEEN 1 AND 365),
  min_notice_minutes integer NOT NULL DEFAULT 60 CHECK (min_notice_minutes BETWEEN 0 AND 43200),
  slot_interval_minutes integer NOT NULL DEFAULT 15 CHECK (slot_interval_minutes BETWEEN 5 AND 240),
  hold_ttl_seconds integer NOT NULL DEFAULT 300 CHECK (hold_ttl_seconds BETWEEN 30 AND 3600),
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE resources (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind text NOT NULL DEFAULT 'staff' CHECK (kind IN ('staff', 'room', 'equipment')),
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name),
  UNIQUE (tenant_id, id)
);

CREATE TABLE services (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '',
  duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 1440),
  buffer_before_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 240),
  buffer_after_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 240),
  price_cents integer CHECK (price_cents >= 0),
  currency text CHECK (currency ~ '^[A-Z]{3}$'),
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name),
  UNIQUE (tenant_id, id)
);

-- Which resources can perform a service. A service with no rows here can be done by any active resource.
CREATE TABLE service_resources (
  tenant_id uuid NOT NULL,
  service_id uuid NOT NULL,
  resource_id uuid NOT NULL,
  PRIMARY KEY (service_id, resource_id),
  FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, id) ON DELETE CASCADE
);

-- Weekly opening hours. Rows with a resource_id replace the tenant's hours for that resource.
-- weekday is ISO (1 = Monday … 7 = Sunday); several rows a day make split shifts.
CREATE TABLE business_hours (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  resource_id uuid,
  weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  opens_at time NOT NULL,
  closes_at time NOT NULL,
  CHECK (closes_at > opens_at),
  FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX business_hours_tenant ON business_hours (tenant_id, resource_id);

-- A date with different hours: both times NULL means closed that day; otherwise the rows for the
-- date replace the weekly hours (several rows make split shifts).
CREATE TABLE date_overrides (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  resource_id uuid,
  on_date date NOT NULL,
  opens_at time,
  closes_at time,
  reason text NOT NULL DEFAULT '',
  CHECK ((opens_at IS NULL AND closes_at IS NULL) OR (opens_at IS NOT NULL AND closes_at IS NOT NULL AND closes_at > opens_at)),
  FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX date_overrides_tenant ON date_overrides (tenant_id, on_date);

-- Layer 1 against overbooking. Holds and appointments both take a claim on (resource, time range
-- including buffers); the partial EXCLUDE lets no two active claims overlap. Confirming a hold keeps
-- its claim, so the slot is never free in between. The predicate cannot use now(): expired holds
-- are released inside the booking transaction and by a sweeper.
CREATE TABLE claims (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  resource_id uuid NOT NULL,
  during tstzrange NOT NULL CHECK (NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during)),
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, id),
  CONSTRAINT claims_no_overlap EXCLUDE USING gist (tenant_id WITH =, resource_id WITH =, during WITH &&) WHERE (is_active)
);

CREATE TABLE holds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  claim_id uuid NOT NULL UNIQUE REFERENCES claims (id),
  service_id uuid NOT NULL,
  resource_id uuid NOT NULL,
  session_id text NOT NULL CHECK (length(session_id) BETWEEN 1 AND 200),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
  expires_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'confirmed', 'expired', 'released')),
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, id),
  FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, id)
);
CREATE INDEX holds_active ON holds (tenant_id, resource_id, starts_at) WHERE status = 'active';
CREATE INDEX holds_expiry ON holds (expires_at) WHERE status = 'active';

CREATE TABLE appointments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  reference text NOT NULL CHECK (reference ~ '^GM-[0-9A-Z]{5}$'),
  claim_id uuid NOT NULL UNIQUE REFERENCES claims (id),
  service_id uuid NOT NULL,
  resource_id uuid NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
  client_name text NOT NULL CHECK (length(client_name) BETWEEN 1 AND 200),
  client_email text CHECK (length(client_email) <= 254),
  client_phone text CHECK (length(client_phone) <= 32),
  notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
  status text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled')),
  session_id text,
  hold_id uuid REFERENCES holds (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  cancelled_at timestamptz,
  CHECK (client_email IS NOT NULL OR client_phone IS NOT NULL),
  UNIQUE (tenant_id, reference),
  FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, id),
  FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, id)
);
CREATE INDEX appointments_schedule ON appointments (tenant_id, resource_id, starts_at) WHERE status = 'booked';

CREATE TABLE waitlist_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  service_id uuid NOT NULL,
  resource_id uuid,
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL CHECK (window_end > window_start),
  client_name text NOT NULL CHECK (length(client_name) BETWEEN 1 AND 200),
  client_email text CHECK (length(client_email) <= 254),
  client_phone text CHECK (length(client_phone) <= 32),
  session_id text,
  status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'offered', 'booked', 'removed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (client_email IS NOT NULL OR client_phone IS NOT NULL),
  FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, id),
  FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, id)
);
CREATE INDEX waitlist_waiting ON waitlist_entries (tenant_id, service_id, window_start) WHERE status = 'waiting';

-- Domain events, written in the same transaction as the change they describe (transactional
-- outbox). The id orders events globally, so a subscriber can resume after the last id it saw.
CREATE TABLE domain_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  type text NOT NULL,
  subject_id uuid,
  session_id text,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  occurred_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX domain_events_tenant ON domain_events (tenant_id, id);
CREATE INDEX domain_events_session ON domain_events (tenant_id, session_id, id) WHERE session_id IS NOT NULL;

-- NOTIFY carries only "tenant:id" (payloads are limited to 8000 bytes); listeners read the row back.
-- Notifications are delivered at commit, so a listener never sees an event that rolled back.
CREATE FUNCTION gomomo_notify_event() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM pg_notify('gomomo_events', NEW.tenant_id::text || ':' || NEW.id::text);
  RETURN NEW;
END
$$;
CREATE TRIGGER domain_events_notify AFTER INSERT ON domain_events
  FOR EACH ROW EXECUTE FUNCTION gomomo_notify_event();

-- Row-Level Security: the backstop behind every query's own tenant_id filter. The app role only ever
-- sees the tenant of its transaction. The owner (migrations, onboarding, sweepers) sees every tenant
-- while no tenant is set, and is held to the tenant when one is.
CREATE FUNCTION gomomo_row_visible(row_tenant uuid) RETURNS boolean
  LANGUAGE sql STABLE
  AS $$ SELECT row_tenant = gomomo_current_tenant()
            OR (current_user <> 'gomomo_app' AND gomomo_current_tenant() IS NULL) $$;
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['resources', 'services', 'service_resources', 'business_hours', 'date_overrides',
                           'claims', 'holds', 'appointments', 'waitlist_entries', 'domain_events'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id))', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO gomomo_app', t);
  END LOOP;
END
$$;
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants USING (gomomo_row_visible(id)) WITH CHECK (gomomo_row_visible(id));
GRANT SELECT, UPDATE ON tenants TO gomomo_app;
GRANT USAGE ON SCHEMA public TO gomomo_app;
