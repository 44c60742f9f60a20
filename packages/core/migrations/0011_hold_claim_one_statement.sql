-- The hold's claim as a transaction of its own (issue 15, item 2). Migration 0009 made lock, guard
-- and claim one statement, but it ran inside a tenant transaction: BEGIN and the tenant settings,
-- an external-busy check, the claim, then COMMIT — and the resource's lock, taken by the claim, was
-- held across the COMMIT's round trip, so one resource's holds queued behind network latency.
--
-- `gomomo_enter_tenant` sets what `withTenant` sets (the `gomomo_app` role, so Row-Level Security
-- applies; `app.tenant_id`; the correlation id), transaction-locally. Called first in a function
-- that runs as its own (autocommit) statement, it scopes every later statement of that function —
-- each statement is planned and checked when it runs, after the settings — and the settings end
-- with the statement's transaction. Inside a caller's tenant transaction it sets the same values
-- again. The tenant id is a parameter the caller vouches for, exactly as `withTenant`'s is.
CREATE FUNCTION gomomo_enter_tenant(p_tenant uuid, p_correlation text) RETURNS void
  LANGUAGE plpgsql
  VOLATILE
  AS $$
BEGIN
  PERFORM set_config('role', 'gomomo_app', true);
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  IF p_correlation IS NOT NULL THEN
    PERFORM set_config('gomomo.correlation_id', p_correlation, true);
  END IF;
END
$$;

-- 0009's claim, plus: it enters the tenant itself, and refuses time a connected calendar has synced
-- as busy (issue 18) before it takes the lock — `external_busy` is written by sync jobs that do not
-- take the resource lock, so before the lock or after it is the same race, and at READ COMMITTED
-- this statement's check sees every sync committed before it started. `externally_busy` is then
-- true and nothing is locked or written.
CREATE FUNCTION gomomo_hold_claim_v2(
  p_tenant uuid, p_resource uuid, p_service uuid, p_from timestamptz, p_to timestamptz, p_hold uuid,
  p_session text, p_start timestamptz, p_end timestamptz, p_expires timestamptz, p_now timestamptz,
  p_payload jsonb, p_skip_on_conflict boolean, p_correlation text
) RETURNS TABLE (resource_name text, externally_busy boolean, blocked integer, live integer, claim_id uuid)
  LANGUAGE plpgsql
  VOLATILE
  AS $$
BEGIN
  PERFORM gomomo_enter_tenant(p_tenant, p_correlation);
  externally_busy := EXISTS (SELECT 1 FROM external_busy e WHERE e.tenant_id = p_tenant AND e.resource_id = p_resource
                                AND e.starts_at < p_to AND e.ends_at > p_from);
  IF externally_busy THEN
    blocked := 0;
    live := 0;
    claim_id := NULL;
    RETURN NEXT;
    RETURN;
  END IF;
  RETURN QUERY SELECT c.resource_name, false, c.blocked, c.live, c.claim_id
    FROM gomomo_hold_claim(p_tenant, p_resource, p_service, p_from, p_to, p_hold, p_session, p_start, p_end, p_expires, p_now,
                           p_payload, p_skip_on_conflict) AS c;
END
$$;
