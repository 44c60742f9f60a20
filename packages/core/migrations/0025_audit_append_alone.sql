-- @gomomo/policy: an audit append that is a transaction of its own (issue 15, item 3).
--
-- An entry not written with a change of its own (a policy decision, an outcome appended after the
-- work committed) used to take a tenant transaction: BEGIN and the settings, `gomomo_audit_append_v2`,
-- COMMIT. The tenant's chain lock, taken by the append, was then held across the COMMIT's round trip,
-- and every audited write of the tenant queued behind it (the autonomy worker appends about four
-- entries per booking). Here the same append enters the tenant itself (core's `gomomo_enter_tenant`,
-- migration 0011: role, `app.tenant_id`) and is sent alone: one round trip, and the lock is held
-- while the statement runs and commits, never while a round trip is in flight. The chain is
-- unchanged: the same function locks, reads the head, hashes (format 2) and inserts.
CREATE FUNCTION gomomo_audit_append_alone(
  p_tenant uuid, p_occurred_at timestamptz, p_actor text, p_channel text, p_action text, p_tool text,
  p_outcome text, p_reason text, p_rule_id text, p_rule_version integer, p_session_id text,
  p_subject_id text, p_client_ref text, p_details jsonb, p_prefix text, p_suffix text
) RETURNS TABLE (id bigint, seq bigint, hash text)
  LANGUAGE plpgsql VOLATILE
  AS $$
BEGIN
  PERFORM gomomo_enter_tenant(p_tenant, NULL);
  RETURN QUERY SELECT a.id, a.seq, a.hash
    FROM gomomo_audit_append_v2(p_tenant, p_occurred_at, p_actor, p_channel, p_action, p_tool, p_outcome, p_reason, p_rule_id,
                                p_rule_version, p_session_id, p_subject_id, p_client_ref, p_details, p_prefix, p_suffix) AS a;
END
$$;
GRANT EXECUTE ON FUNCTION gomomo_audit_append_alone(uuid, timestamptz, text, text, text, text, text, text, text, integer, text, text, text, jsonb, text, text) TO gomomo_app;
