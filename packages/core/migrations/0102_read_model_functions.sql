-- @gomomo/core: read models as SQL functions, so another package's one statement can carry them
-- (issue 15).
--
-- The autonomy worker claimed an event in one statement, then read the booking it was about and
-- looked for a waitlist offer under its hold in two more; the outbox sender claimed a batch, then
-- read the appointments its messages describe in another. Each was a round trip, and round trips
-- are most of what a booking's deferred work costs. Other packages may not name core's tables in
-- their SQL (docs/architecture.md), but they may call core's functions: these are the reads, once,
-- and core's own read models (`readAppointmentView`, `readAppointmentStates`) go through them too.
-- Each is one SELECT in `LANGUAGE sql`, STABLE and not STRICT, so the planner inlines it into the
-- caller's statement, and it runs as the caller: Row-Level Security still applies.

-- An appointment with what a message about it mentions (core's `readAppointmentView`).
CREATE FUNCTION gomomo_appointment_view(p_tenant uuid, p_appointment uuid)
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
   WHERE a.tenant_id = p_tenant AND a.id = p_appointment
$$;

-- What a message about an appointment is checked against when it is sent (core's `readAppointmentStates`).
CREATE FUNCTION gomomo_appointment_state(p_tenant uuid, p_appointment uuid)
  RETURNS TABLE (id uuid, tenant_id uuid, status text, starts_at timestamptz, change_seq integer)
  LANGUAGE sql STABLE
  AS $$
  SELECT a.id, a.tenant_id, a.status, a.starts_at, a.change_seq FROM appointments a WHERE a.tenant_id = p_tenant AND a.id = p_appointment
$$;

-- Whether a waitlist entry is offered the slot under this hold (and not yet settled).
CREATE FUNCTION gomomo_waitlist_offer_open(p_tenant uuid, p_hold uuid) RETURNS boolean
  LANGUAGE sql STABLE
  AS $$
  SELECT EXISTS (SELECT 1 FROM waitlist_entries w WHERE w.tenant_id = p_tenant AND w.offer_hold_id = p_hold AND w.status = 'offered')
$$;

GRANT EXECUTE ON FUNCTION gomomo_appointment_view(uuid, uuid), gomomo_appointment_state(uuid, uuid), gomomo_waitlist_offer_open(uuid, uuid) TO gomomo_app;
