-- @gomomo/agent: the hold quota's read and its record of who asked, one round trip each (issue 15).
--
-- Before every hold a customer asks for, the quota read the origins of the last hour that matter
-- (this client address's, and those of conversations without a contact) and counted how many of
-- their holds still hold a slot: a tenant transaction of four round trips. After the hold, it
-- recorded the hold's origin in another of three. Both functions enter the tenant themselves
-- (`gomomo_enter_tenant`, migration 0011), so each is one autocommit statement, with Row-Level
-- Security applying as before; the counts use core's `gomomo_count_active_holds` (0108).

-- The counts `enforceHoldQuota` (packages/agent/src/tools/hold-quota.ts) judges by. This
-- conversation's own holds count towards the hour, not towards the live counts: a new hold
-- replaces them.
CREATE FUNCTION gomomo_agent_hold_counts(p_tenant uuid, p_session text, p_client_ref text, p_since timestamptz, p_now timestamptz)
  RETURNS TABLE (by_address_in_hour integer, by_address_live integer, unverified_live integer)
  LANGUAGE plpgsql
  VOLATILE
  AS $$
BEGIN
  PERFORM gomomo_enter_tenant(p_tenant, NULL);
  RETURN QUERY
    WITH origin AS MATERIALIZED (
      SELECT o.hold_id, o.session_id, p_client_ref IS NOT NULL AND o.client_ref = p_client_ref AS by_address, o.is_verified
        FROM agent_hold_origins o
       WHERE o.tenant_id = p_tenant AND o.created_at > p_since AND ((p_client_ref IS NOT NULL AND o.client_ref = p_client_ref) OR NOT o.is_verified))
    SELECT (SELECT count(*) FROM origin WHERE origin.by_address)::integer,
           gomomo_count_active_holds(p_tenant, ARRAY(SELECT hold_id FROM origin WHERE origin.session_id <> p_session AND origin.by_address), p_now),
           gomomo_count_active_holds(p_tenant, ARRAY(SELECT hold_id FROM origin WHERE origin.session_id <> p_session AND NOT origin.is_verified), p_now);
END
$$;

-- Who asked for a hold (the hashed client address, and whether the conversation had a contact), and
-- the prune of origins older than `p_prune_before`.
CREATE FUNCTION gomomo_agent_record_hold_origin(
  p_hold uuid, p_tenant uuid, p_session text, p_client_ref text, p_is_verified boolean, p_now timestamptz, p_prune_before timestamptz
) RETURNS void
  LANGUAGE plpgsql
  VOLATILE
  AS $$
BEGIN
  PERFORM gomomo_enter_tenant(p_tenant, NULL);
  DELETE FROM agent_hold_origins WHERE tenant_id = p_tenant AND created_at < p_prune_before;
  INSERT INTO agent_hold_origins (hold_id, tenant_id, session_id, client_ref, is_verified, created_at)
  VALUES (p_hold, p_tenant, p_session, p_client_ref, p_is_verified, p_now)
  ON CONFLICT (hold_id) DO NOTHING;
END
$$;
