-- Confirm as a transaction of its own (issue 15, item 2): the statement `confirm-hold.ts` sent inside
-- a tenant transaction (lock the hold, and only if it is live for this session insert the
-- appointment on its claim, mark it confirmed, record `booking.created`), wrapped in a function
-- that enters the tenant first (`gomomo_enter_tenant`, migration 0011). Sent on its own it is one
-- round trip instead of three (BEGIN and the settings, the statement, COMMIT), and the hold's row
-- lock ends with the statement rather than a round trip later.
--
-- It returns the hold as locked (`appointment_id` null when nothing was written: the hold is not
-- live, or the reference was taken — ON CONFLICT DO NOTHING — and the caller tries a fresh one).
CREATE FUNCTION gomomo_confirm_hold(
  p_tenant uuid, p_hold uuid, p_session text, p_now timestamptz, p_appointment uuid, p_reference text,
  p_client_name text, p_client_email text, p_client_phone text, p_notes text, p_correlation text
) RETURNS TABLE (
  id uuid, tenant_id uuid, claim_id uuid, service_id uuid, resource_id uuid, session_id text, starts_at timestamptz,
  ends_at timestamptz, expires_at timestamptz, status text, time_zone text, service_name text, resource_name text,
  start_iso text, end_iso text, now_iso text, appointment_id uuid
)
  LANGUAGE plpgsql
  VOLATILE
  AS $$
#variable_conflict use_column
BEGIN
  PERFORM gomomo_enter_tenant(p_tenant, p_correlation);
  RETURN QUERY
    WITH h AS MATERIALIZED (
      SELECT h.id, h.tenant_id, h.claim_id, h.service_id, h.resource_id, h.session_id, h.starts_at, h.ends_at,
             h.expires_at, h.status, t.time_zone, s.name AS service_name, r.name AS resource_name,
             (h.session_id = p_session AND h.status = 'active' AND h.expires_at > p_now) AS live,
             gomomo_zoned_iso(h.starts_at, t.time_zone) AS start_iso, gomomo_zoned_iso(h.ends_at, t.time_zone) AS end_iso,
             gomomo_zoned_iso(p_now, t.time_zone) AS now_iso
        FROM holds h
        JOIN tenants t ON t.id = h.tenant_id
        JOIN services s ON s.id = h.service_id
        JOIN resources r ON r.id = h.resource_id
       WHERE h.tenant_id = p_tenant AND h.id = p_hold
         FOR UPDATE OF h
    ), a AS (
      INSERT INTO appointments (id, tenant_id, reference, claim_id, service_id, resource_id, starts_at, ends_at,
                                client_name, client_email, client_phone, notes, session_id, hold_id, created_at, updated_at)
      SELECT p_appointment, h.tenant_id, p_reference, h.claim_id, h.service_id, h.resource_id, h.starts_at, h.ends_at,
             p_client_name, p_client_email, p_client_phone, p_notes, h.session_id, h.id, p_now, p_now
        FROM h WHERE h.live
      ON CONFLICT (tenant_id, reference) DO NOTHING
      RETURNING appointments.id
    ), confirmed AS (
      UPDATE holds SET status = 'confirmed' WHERE holds.tenant_id = p_tenant AND holds.id = p_hold AND EXISTS (SELECT 1 FROM a)
    ), event AS (
      INSERT INTO domain_events (tenant_id, type, subject_id, session_id, payload, occurred_at)
      SELECT h.tenant_id, 'booking.created', a.id, h.session_id,
             jsonb_build_object('appointmentId', a.id, 'reference', p_reference, 'holdId', h.id,
                                'serviceId', h.service_id, 'resourceId', h.resource_id,
                                'start', h.start_iso, 'end', h.end_iso),
             p_now
        FROM a, h
    )
    SELECT h.id, h.tenant_id, h.claim_id, h.service_id, h.resource_id, h.session_id, h.starts_at, h.ends_at,
           h.expires_at, h.status, h.time_zone, h.service_name, h.resource_name, h.start_iso, h.end_iso, h.now_iso,
           (SELECT a.id FROM a)
      FROM h;
END
$$;
