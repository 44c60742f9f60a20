-- @gomomo/policy: audit hash format 2, and appends that work at any isolation level.
--
-- Format 2 hashes `occurred_at` at the precision it is stored (microseconds, "…00.123456Z") and
-- names its version in the hashed content, so a sub-millisecond change to `occurred_at` breaks the
-- chain; format 1 hashed milliseconds. Rows written before keep `hash_version` 1 and verify as they
-- always did; `gomomo_audit_append` (format 1) stays for processes still running the old code.
ALTER TABLE audit_log ADD COLUMN hash_version smallint NOT NULL DEFAULT 1 CHECK (hash_version IN (1, 2));

-- Like gomomo_audit_append, plus: in REPEATABLE READ or SERIALIZABLE the head read after the chain
-- lock comes from the caller's snapshot, which may predate a row another transaction appended
-- since; the insert then collides on (tenant_id, seq). That is a serialization failure, not a
-- duplicate of anything the caller wrote, so it is reported as 40001 and the caller's transaction
-- helper runs the whole transaction again (with a fresh snapshot). Registering an SMS number used to
-- fail with "already receives SMS" this way. READ COMMITTED needs no subtransaction: each statement
-- takes a fresh snapshot after the lock.
CREATE FUNCTION gomomo_audit_append_v2(
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
  IF current_setting('transaction_isolation') = 'read committed' THEN
    INSERT INTO audit_log (tenant_id, seq, occurred_at, actor, channel, action, tool, outcome, reason, rule_id, rule_version,
                           session_id, subject_id, client_ref, details, prev_hash, hash, hash_version)
    VALUES (p_tenant, v_seq, p_occurred_at, p_actor, p_channel, p_action, p_tool, p_outcome, p_reason, p_rule_id, p_rule_version,
            p_session_id, p_subject_id, p_client_ref, p_details, v_prev, v_hash, 2)
    RETURNING audit_log.id INTO v_id;
  ELSE
    BEGIN
      INSERT INTO audit_log (tenant_id, seq, occurred_at, actor, channel, action, tool, outcome, reason, rule_id, rule_version,
                             session_id, subject_id, client_ref, details, prev_hash, hash, hash_version)
      VALUES (p_tenant, v_seq, p_occurred_at, p_actor, p_channel, p_action, p_tool, p_outcome, p_reason, p_rule_id, p_rule_version,
              p_session_id, p_subject_id, p_client_ref, p_details, v_prev, v_hash, 2)
      RETURNING audit_log.id INTO v_id;
    EXCEPTION WHEN unique_violation THEN
      RAISE EXCEPTION 'the audit chain moved on after this transaction''s snapshot was taken'
        USING ERRCODE = 'serialization_failure', HINT = 'Run the whole transaction again.';
    END;
  END IF;
  RETURN QUERY SELECT v_id, v_seq, v_hash;
END
$$;
GRANT EXECUTE ON FUNCTION gomomo_audit_append_v2(uuid, timestamptz, text, text, text, text, text, text, text, integer, text, text, text, jsonb, text, text) TO gomomo_app;
