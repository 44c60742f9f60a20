-- A hold checks the hours it was judged by without reading them again (issue 15).
--
-- Before its claim, a hold read the day's hours and overrides (`gomomo_bookable_hours`, migration
-- 0013): a round trip of its own on every hold, although availability already keeps them in memory
-- (`hours-cache.ts`). The cached hours cannot decide alone: staff may have closed the day a moment
-- ago. So each tenant now has a schedule version, which every change to its hours or overrides
-- moves on, and the cache reads it with the hours. A hold judged by cached hours sends their
-- version with its claim, and the claim compares it before anything else: if the hours changed
-- since, nothing is locked or written, and the hold reads the hours from Postgres and tries again.
-- That is tighter than before, when the hours were read a statement ahead of the claim.
--
-- The version sits on the tenant's row, which Row-Level Security already guards: staff can move only
-- their own tenant's. The UPDATE that moves it leaves the key alone, so it never waits for the
-- bookings whose foreign keys hold the row (KEY SHARE), nor they for it.
ALTER TABLE tenants ADD COLUMN schedule_version bigint NOT NULL DEFAULT 0;

CREATE FUNCTION gomomo_schedule_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  -- Deleting a tenant deletes its hours too: its row is gone by then, and this updates nothing.
  UPDATE tenants SET schedule_version = schedule_version + 1
   WHERE id IN (SELECT tenant_id FROM changed_rows);
  RETURN NULL;
END
$$;

-- Once per statement, with the rows it changed (business_hours_inserted, …, date_overrides_deleted);
-- a trigger with transition tables takes one event.
DO $$
DECLARE
  t text;
  e text[];
BEGIN
  FOREACH t IN ARRAY ARRAY['business_hours', 'date_overrides'] LOOP
    FOREACH e SLICE 1 IN ARRAY ARRAY[['INSERT', 'NEW', 'inserted'], ['UPDATE', 'NEW', 'updated'], ['DELETE', 'OLD', 'deleted']] LOOP
      EXECUTE format('CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION gomomo_schedule_changed()',
                     t || '_' || e[3], e[1], t, e[2]);
    END LOOP;
  END LOOP;
END
$$;

-- 0011's claim, plus `p_schedule_version`: the version of the hours the hold was judged by, or
-- NULL when it read them from Postgres just before (nothing to compare). `schedule_changed` is then
-- true, and nothing is locked or written.
CREATE FUNCTION gomomo_hold_claim_v3(
  p_tenant uuid, p_resource uuid, p_service uuid, p_from timestamptz, p_to timestamptz, p_hold uuid,
  p_session text, p_start timestamptz, p_end timestamptz, p_expires timestamptz, p_now timestamptz,
  p_payload jsonb, p_skip_on_conflict boolean, p_correlation text, p_schedule_version bigint
) RETURNS TABLE (resource_name text, externally_busy boolean, schedule_changed boolean, blocked integer, live integer, claim_id uuid)
  LANGUAGE plpgsql
  VOLATILE
  AS $$
BEGIN
  PERFORM gomomo_enter_tenant(p_tenant, p_correlation);
  schedule_changed := p_schedule_version IS NOT NULL
    AND p_schedule_version IS DISTINCT FROM (SELECT t.schedule_version FROM tenants t WHERE t.id = p_tenant);
  externally_busy := NOT schedule_changed
    AND EXISTS (SELECT 1 FROM external_busy e WHERE e.tenant_id = p_tenant AND e.resource_id = p_resource
                   AND e.starts_at < p_to AND e.ends_at > p_from);
  IF schedule_changed OR externally_busy THEN
    blocked := 0;
    live := 0;
    claim_id := NULL;
    RETURN NEXT;
    RETURN;
  END IF;
  RETURN QUERY SELECT c.resource_name, false, false, c.blocked, c.live, c.claim_id
    FROM gomomo_hold_claim(p_tenant, p_resource, p_service, p_from, p_to, p_hold, p_session, p_start, p_end, p_expires, p_now,
                           p_payload, p_skip_on_conflict) AS c;
END
$$;
