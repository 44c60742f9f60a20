-- @gomomo/policy: each tenant's chain head kept in a row of its own (issue 15).
--
-- An append read the head with `ORDER BY seq DESC LIMIT 1` on audit_log. Its plan depends on the
-- table's statistics: with none yet (a fresh database), or with one tenant's log far larger than
-- the average (skew), the planner estimated a handful of rows, read every row of the tenant through
-- `audit_log_time` and sorted them. The append then cost time in proportion to the tenant's whole
-- history, under the tenant's chain lock: 3 ms at 4,000 rows in `pnpm bench:api`, a third of the
-- database's time per booking. Here the head is one primary-key row, read and moved under the same
-- advisory lock, so an append costs the same at any length of log.
--
-- The log stays the record: verification reads audit_log only. An append confirms the head row
-- against the log by primary key, and its insert stops at an entry already there (ON CONFLICT),
-- so a head that is missing (a tenant's first entry), ahead of the log or behind it (a log
-- restored without this table) costs one slow read from the log, and never forks the chain.
CREATE TABLE audit_chain_heads (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  seq bigint NOT NULL CHECK (seq >= 1),
  hash text NOT NULL CHECK (length(hash) = 64),
  -- The log's row of this head: an append confirms the head by this id (the log's primary key).
  entry_id bigint NOT NULL
);
ALTER TABLE audit_chain_heads ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_chain_heads FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_chain_heads USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE ON audit_chain_heads TO gomomo_app;

INSERT INTO audit_chain_heads (tenant_id, seq, hash, entry_id)
SELECT DISTINCT ON (tenant_id) tenant_id, seq, hash, id FROM audit_log ORDER BY tenant_id, seq DESC;

-- The head, read from the log (the slow way): for a missing or stale head row.
CREATE FUNCTION gomomo_audit_log_head(p_tenant uuid) RETURNS TABLE (seq bigint, hash text)
  LANGUAGE sql STABLE
  AS $$
  SELECT a.seq, a.hash FROM audit_log a WHERE a.tenant_id = p_tenant ORDER BY a.tenant_id DESC, a.seq DESC LIMIT 1
$$;

-- Moves the head after an append (the caller holds the chain lock).
CREATE FUNCTION gomomo_audit_move_head(p_tenant uuid, p_seq bigint, p_hash text, p_entry bigint) RETURNS void
  LANGUAGE plpgsql VOLATILE
  AS $$
BEGIN
  UPDATE audit_chain_heads SET seq = p_seq, hash = p_hash, entry_id = p_entry WHERE tenant_id = p_tenant;
  IF NOT FOUND THEN
    INSERT INTO audit_chain_heads (tenant_id, seq, hash, entry_id) VALUES (p_tenant, p_seq, p_hash, p_entry);
  END IF;
END
$$;

CREATE OR REPLACE FUNCTION gomomo_audit_head(p_tenant uuid) RETURNS TABLE (seq bigint, hash text)
  LANGUAGE plpgsql VOLATILE
  AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7316020, hashtext(p_tenant::text));
  RETURN QUERY SELECT l.seq, l.hash FROM gomomo_audit_log_head(p_tenant) AS l;
END
$$;

-- Format 1 (migration 0021), no longer used by the package: it reads the head from the log, and
-- moves the head row so that the format 2 append after it takes the quick way.
CREATE OR REPLACE FUNCTION gomomo_audit_append(
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
  SELECT l.seq, l.hash INTO v_seq, v_prev FROM gomomo_audit_log_head(p_tenant) AS l;
  v_seq := coalesce(v_seq, 0) + 1;
  v_prev := coalesce(v_prev, repeat('0', 64));
  v_hash := encode(sha256(convert_to(v_prev || p_prefix || v_seq::text || p_suffix, 'UTF8')), 'hex');
  INSERT INTO audit_log (tenant_id, seq, occurred_at, actor, channel, action, tool, outcome, reason, rule_id, rule_version,
                         session_id, subject_id, client_ref, details, prev_hash, hash)
  VALUES (p_tenant, v_seq, p_occurred_at, p_actor, p_channel, p_action, p_tool, p_outcome, p_reason, p_rule_id, p_rule_version,
          p_session_id, p_subject_id, p_client_ref, p_details, v_prev, v_hash)
  RETURNING audit_log.id INTO v_id;
  PERFORM gomomo_audit_move_head(p_tenant, v_seq, v_hash, v_id);
  RETURN QUERY SELECT v_id, v_seq, v_hash;
END
$$;

-- Format 2 (migration 0024): the head from its row; everything else as before.
CREATE OR REPLACE FUNCTION gomomo_audit_append_v2(
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
  v_entry bigint;
  v_confirmed boolean;
BEGIN
  PERFORM pg_advisory_xact_lock(7316020, hashtext(p_tenant::text));
  SELECT h.seq, h.hash, h.entry_id INTO v_seq, v_prev, v_entry FROM audit_chain_heads h WHERE h.tenant_id = p_tenant;
  -- The row is a hint the log confirms: its entry is in the log with that seq and hash, found by
  -- the log's primary key (the one index on id, whatever the statistics say). Otherwise (the
  -- tenant's first entry, or a head out of step with a restored log) the head is read from the log.
  IF FOUND THEN
    SELECT a.tenant_id = p_tenant AND a.seq = v_seq AND a.hash = v_prev INTO v_confirmed FROM audit_log a WHERE a.id = v_entry;
  END IF;
  IF v_confirmed IS NOT TRUE THEN
    SELECT l.seq, l.hash INTO v_seq, v_prev FROM gomomo_audit_log_head(p_tenant) AS l;
  END IF;
  v_seq := coalesce(v_seq, 0) + 1;
  v_prev := coalesce(v_prev, repeat('0', 64));
  v_hash := encode(sha256(convert_to(v_prev || p_prefix || v_seq::text || p_suffix, 'UTF8')), 'hex');
  IF current_setting('transaction_isolation') = 'read committed' THEN
    INSERT INTO audit_log (tenant_id, seq, occurred_at, actor, channel, action, tool, outcome, reason, rule_id, rule_version,
                           session_id, subject_id, client_ref, details, prev_hash, hash, hash_version)
    VALUES (p_tenant, v_seq, p_occurred_at, p_actor, p_channel, p_action, p_tool, p_outcome, p_reason, p_rule_id, p_rule_version,
            p_session_id, p_subject_id, p_client_ref, p_details, v_prev, v_hash, 2)
    ON CONFLICT ON CONSTRAINT audit_log_tenant_id_seq_key DO NOTHING
    RETURNING audit_log.id INTO v_id;
    IF v_id IS NULL THEN
      -- The head row was behind the log (entries appended after it that it never saw): the head
      -- from the log, and the entry after it.
      SELECT l.seq, l.hash INTO v_seq, v_prev FROM gomomo_audit_log_head(p_tenant) AS l;
      v_seq := v_seq + 1;
      v_hash := encode(sha256(convert_to(v_prev || p_prefix || v_seq::text || p_suffix, 'UTF8')), 'hex');
      INSERT INTO audit_log (tenant_id, seq, occurred_at, actor, channel, action, tool, outcome, reason, rule_id, rule_version,
                             session_id, subject_id, client_ref, details, prev_hash, hash, hash_version)
      VALUES (p_tenant, v_seq, p_occurred_at, p_actor, p_channel, p_action, p_tool, p_outcome, p_reason, p_rule_id, p_rule_version,
              p_session_id, p_subject_id, p_client_ref, p_details, v_prev, v_hash, 2)
      RETURNING audit_log.id INTO v_id;
    END IF;
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
  -- Under REPEATABLE READ or SERIALIZABLE, a head row moved after this snapshot is itself a
  -- serialization failure (40001), which the callers' transactions retry.
  PERFORM gomomo_audit_move_head(p_tenant, v_seq, v_hash, v_id);
  RETURN QUERY SELECT v_id, v_seq, v_hash;
END
$$;
