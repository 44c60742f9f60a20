-- @gomomo/core: the read models find an appointment by its primary key, whatever the statistics
-- say (issue 15).
--
-- `a.tenant_id = p_tenant AND a.id = p_appointment` can be served by the primary key or by the
-- unique index on (tenant_id, reference). While appointments has never been analysed (a new
-- install, or a table that grew from empty within autovacuum's first minute), both cost the same
-- to the planner, and it took the second: an index scan over every appointment of the tenant,
-- filtered by id. A connection keeps such a plan until the table is analysed, so the autonomy
-- worker's claim and the outbox sender's claim read all of a tenant's appointments for each
-- message. The tenant is now compared with IS NOT DISTINCT FROM, which no index serves: the primary
-- key is the only way in. Same rows: tenant_id is never null, and a null p_tenant matches nothing
-- either way. Both functions stay one inlinable SELECT, run as the caller (RLS applies).

CREATE OR REPLACE FUNCTION gomomo_appointment_view(p_tenant uuid, p_appointment uuid)
  RETURNS TABLE (id uuid, tenant_id uuid, reference text, starts_at timestamptz, ends_at timestamptz, status text, change_seq integer,
                 client_name text, client_email text, client_phone text, session_id text, service_name text, resource_id uuid,
                 resource_name text, business_name text, time_zone text, tenant_settings jsonb)
  LANGUAGE sql STABLE
  AS $$
  SELECT a.id, a.tenant_id, a.reference, a.starts_at, a.ends_at, a.status, a.change_seq,
         a.client_name, a.client_email, a.client_phone, a.session_id, s.name, a.resource_id, r.name, t.name, t.time_zone, t.settings
    FROM appointments a
    JOIN services s ON s.tenant_id = a.tenant_id AND s.id = a.service_id
    JOIN resources r ON r.tenant_id = a.tenant_id AND r.id = a.resource_id
    JOIN tenants t ON t.id = a.tenant_id
   WHERE a.id = p_appointment AND a.tenant_id IS NOT DISTINCT FROM p_tenant
$$;

CREATE OR REPLACE FUNCTION gomomo_appointment_state(p_tenant uuid, p_appointment uuid)
  RETURNS TABLE (id uuid, tenant_id uuid, status text, starts_at timestamptz, change_seq integer)
  LANGUAGE sql STABLE
  AS $$
  SELECT a.id, a.tenant_id, a.status, a.starts_at, a.change_seq FROM appointments a WHERE a.id = p_appointment AND a.tenant_id IS NOT DISTINCT FROM p_tenant
$$;
