-- A hold's lock and claim in ONE round trip (issue 15, item 2). The hold used two named statements
-- at READ COMMITTED — take the per-resource lock, then guard and insert — because a statement's
-- snapshot is taken when it starts, before a lock it waits for inside. A plpgsql function keeps
-- that order in one call: in a VOLATILE function at READ COMMITTED every statement takes a fresh
-- snapshot (PostgreSQL manual, 43.11 "PL/pgSQL under the hood" and 13.2.1), so the guard below
-- runs after the lock is granted and sees everything the previous holder committed. The lock is
-- then held for the function and the COMMIT only, not for a round trip between them, and one
-- resource queues that much less.
--
-- Runs as the caller (gomomo_app, Row-Level Security applies). Layers as before: the per-resource
-- advisory lock (2), the cross-table guard (4), the EXCLUDE constraint (1) on the claim insert,
-- which still answers 23P01 (exclusion_violation, the resource's name in DETAIL) unless
-- `skip_on_conflict` (an "any resource" hold moving on to its next candidate).
CREATE FUNCTION gomomo_hold_claim(
  p_tenant uuid, p_resource uuid, p_service uuid, p_from timestamptz, p_to timestamptz, p_hold uuid,
  p_session text, p_start timestamptz, p_end timestamptz, p_expires timestamptz, p_now timestamptz,
  p_payload jsonb, p_skip_on_conflict boolean
) RETURNS TABLE (resource_name text, blocked integer, live integer, claim_id uuid)
  LANGUAGE plpgsql
  VOLATILE
  AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_tenant::text || ':' || p_resource::text, 0));
  resource_name := (SELECT r.name FROM resources r WHERE r.tenant_id = p_tenant AND r.id = p_resource);
  SELECT count(*)::int, count(*) FILTER (WHERE b.appointment_id IS NOT NULL OR b.expires_at > p_now)::int
    INTO blocked, live
    FROM (SELECT h.expires_at, a.id AS appointment_id
            FROM claims c
            LEFT JOIN holds h ON h.claim_id = c.id AND h.status = 'active'
            LEFT JOIN appointments a ON a.claim_id = c.id AND a.status = 'booked'
           WHERE c.tenant_id = p_tenant AND c.resource_id = p_resource AND c.is_active
             AND c.starts_at < p_to AND c.ends_at > p_from
             AND (h.id IS NOT NULL OR a.id IS NOT NULL)) AS b;
  claim_id := NULL;
  IF blocked > 0 THEN
    RETURN NEXT;
    RETURN;
  END IF;
  INSERT INTO claims (tenant_id, resource_id, during) VALUES (p_tenant, p_resource, tstzrange(p_from, p_to, '[)'))
    ON CONFLICT DO NOTHING
    RETURNING id INTO claim_id;
  IF claim_id IS NULL AND NOT p_skip_on_conflict THEN
    -- What the plain insert would have raised, with the resource's name for the caller's message.
    RAISE EXCEPTION 'conflicting claim on resource %', p_resource USING ERRCODE = 'exclusion_violation', DETAIL = resource_name;
  END IF;
  IF claim_id IS NOT NULL THEN
    INSERT INTO holds (id, tenant_id, claim_id, service_id, resource_id, session_id, starts_at, ends_at, expires_at, created_at)
      VALUES (p_hold, p_tenant, claim_id, p_service, p_resource, p_session, p_start, p_end, p_expires, p_now);
    INSERT INTO domain_events (tenant_id, type, subject_id, session_id, payload, occurred_at)
      VALUES (p_tenant, 'hold.created', p_hold, p_session, p_payload, p_now);
  END IF;
  RETURN NEXT;
END
$$;
