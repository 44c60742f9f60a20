-- @gomomo/policy: append an audit row in one round trip. The caller (Node) sends the row's content
-- already redacted and its canonical JSON split around the "seq" value; this function takes the
-- tenant's chain lock, reads the head, and hashes sha256(prev_hash || prefix || seq || suffix),
-- which is exactly sha256(prev_hash || canonical JSON of the content). The chain lock is then held
-- for one statement and the commit instead of three round trips.
CREATE FUNCTION gomomo_audit_append(
  p_tenant uuid, p_occurred_at timestamptz, p_actor text, p_channel text, p_action text, p_tool text,
  p_outcome text, p_reason text, p_rule_id text, p_rule_version integer, p_session_id text,
  p_subject_id text, p_client_ref text, p_details jsonb, p_prefix text, p_suffix text
) RETURNS TABLE (id bigint, seq bigint, hash text)
  LANGUAGE plpgsql VOLATILE
  AS $$
DECLARE
  v_seq bigint;
  v_prev text;
  v_hash text;
  v_id bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(7316020, hashtext(p_tenant::text));
  SELECT a.seq, a.hash INTO v_seq, v_prev FROM audit_log a WHERE a.tenant_id = p_tenant ORDER BY a.seq DESC LIMIT 1;
  v_seq := coalesce(v_seq, 0) + 1;
  v_prev := coalesce(v_prev, repeat('0', 64));
  v_hash := encode(sha256(convert_to(v_prev || p_prefix || v_seq::text || p_suffix, 'UTF8')), 'hex');
  INSERT INTO audit_log (tenant_id, seq, occurred_at, actor, channel, action, tool, outcome, reason, rule_id, rule_version,
                         session_id, subject_id, client_ref, details, prev_hash, hash)
  VALUES (p_tenant, v_seq, p_occurred_at, p_actor, p_channel, p_action, p_tool, p_outcome, p_reason, p_rule_id, p_rule_version,
          p_session_id, p_subject_id, p_client_ref, p_details, v_prev, v_hash)
  RETURNING audit_log.id INTO v_id;
  RETURN QUERY SELECT v_id, v_seq, v_hash;
END
$$;
GRANT EXECUTE ON FUNCTION gomomo_audit_append(uuid, timestamptz, text, text, text, text, text, text, text, integer, text, text, text, jsonb, text, text) TO gomomo_app;
