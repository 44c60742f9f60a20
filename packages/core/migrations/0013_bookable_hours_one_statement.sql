-- The hours a hold (or a move) is checked against, read by one statement that enters the tenant
-- itself (issue 15, item 2). The hold re-checks hours and overrides in Postgres — availability may
-- have served them from a cache — and did so in a tenant transaction of its own: BEGIN and the
-- settings, the read, COMMIT. As a function that calls `gomomo_enter_tenant` (migration 0011) the
-- read is one round trip outside a transaction, and the same inside a caller's tenant transaction
-- (a reschedule), where entering sets what is already set.
--
-- The same rows as `loadSchedule` reads when it skips busy time: the tenant's and the resources'
-- weekly hours, and the overrides on the days (in the tenant's zone) the range touches.
CREATE FUNCTION gomomo_bookable_hours(p_tenant uuid, p_resources uuid[], p_from timestamptz, p_to timestamptz, p_zone text)
  RETURNS TABLE (hours json, overrides json)
  LANGUAGE plpgsql
  VOLATILE
  AS $$
BEGIN
  PERFORM gomomo_enter_tenant(p_tenant, NULL);
  RETURN QUERY SELECT
    (SELECT json_agg(json_build_object('resourceId', b.resource_id, 'weekday', b.weekday,
                                       'opens', to_char(b.opens_at, 'HH24:MI'), 'closes', to_char(b.closes_at, 'HH24:MI')))
       FROM business_hours b WHERE b.tenant_id = p_tenant AND (b.resource_id IS NULL OR b.resource_id = ANY (p_resources))),
    (SELECT json_agg(json_build_object('date', to_char(d.on_date, 'YYYY-MM-DD'), 'resourceId', d.resource_id,
                                       'opens', to_char(d.opens_at, 'HH24:MI'), 'closes', to_char(d.closes_at, 'HH24:MI')))
       FROM date_overrides d
      WHERE d.tenant_id = p_tenant AND (d.resource_id IS NULL OR d.resource_id = ANY (p_resources))
        AND d.on_date BETWEEN (p_from AT TIME ZONE p_zone)::date AND (p_to AT TIME ZONE p_zone)::date);
END
$$;
