-- @gomomo/policy: an audit append asks whether an entry follows the chain head through the
-- (tenant_id, seq) key, whatever the statistics say (issue 15).
--
-- `gomomo_audit_append_batch` (migration 0029) confirms the head row, then asks whether the log
-- already holds the entry after it: `EXISTS (… WHERE tenant_id = … AND seq = head + 1)`. Two
-- indexes lead with tenant_id, the unique (tenant_id, seq) and audit_log_time (tenant_id,
-- occurred_at). While audit_log has never been analysed (a new install, or a log that grew from
-- empty within autovacuum's first minute), both cost the same to the planner and it took
-- audit_log_time: every append read the tenant's whole log, filtered by seq, and a connection
-- keeps that plan until the table is analysed. The question is now asked of the key in its order
-- ("the first entry after the head"), which only the key answers without a sort. An entry after
-- the head means the head row is behind, as before; the head then comes from the log.

CREATE OR REPLACE FUNCTION gomomo_audit_append_batch(p_rows jsonb) RETURNS TABLE (id bigint, seq bigint, hash text)
  LANGUAGE plpgsql VOLATILE
  AS $$
#variable_conflict use_column
DECLARE
  v_tenant uuid;
  v_seq bigint;
  v_prev text;
  v_entry bigint;
  v_confirmed boolean;
  v_seqs bigint[] := '{}';
  v_prevs text[] := '{}';
  v_hashes text[] := '{}';
  v_ids bigint[];
  v_row jsonb;
BEGIN
  IF jsonb_array_length(p_rows) = 0 THEN
    RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM jsonb_array_elements(p_rows) AS e (p) WHERE e.p->>0 IS DISTINCT FROM p_rows->0->>0) THEN
    RETURN QUERY
    SELECT a.id, a.seq, a.hash
      FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS e (p, n)
     CROSS JOIN LATERAL gomomo_audit_append_v2(
       (e.p->>0)::uuid, (e.p->>1)::timestamptz, e.p->>2, e.p->>3, e.p->>4, e.p->>5, e.p->>6, e.p->>7, e.p->>8,
       (e.p->>9)::integer, e.p->>10, e.p->>11, e.p->>12, (e.p->>13)::jsonb, e.p->>14, e.p->>15) AS a
     ORDER BY e.n;
    RETURN;
  END IF;

  v_tenant := (p_rows->0->>0)::uuid;
  PERFORM pg_advisory_xact_lock(7316020, hashtext(v_tenant::text));
  SELECT h.seq, h.hash, h.entry_id INTO v_seq, v_prev, v_entry FROM audit_chain_heads h WHERE h.tenant_id = v_tenant;
  IF FOUND THEN
    SELECT a.tenant_id = v_tenant AND a.seq = v_seq AND a.hash = v_prev INTO v_confirmed FROM audit_log a WHERE a.id = v_entry;
    -- Ordered by the (tenant_id, seq) key and limited to one: no other index can answer that
    -- without sorting the tenant's whole log, so the planner takes the key whatever it knows.
    IF v_confirmed AND (SELECT a.seq FROM audit_log a WHERE a.tenant_id = v_tenant AND a.seq > v_seq ORDER BY a.tenant_id, a.seq LIMIT 1) IS NOT NULL THEN
      v_confirmed := false;
    END IF;
  END IF;
  IF v_confirmed IS NOT TRUE THEN
    SELECT l.seq, l.hash INTO v_seq, v_prev FROM gomomo_audit_log_head(v_tenant) AS l;
  END IF;
  v_seq := coalesce(v_seq, 0);
  v_prev := coalesce(v_prev, repeat('0', 64));

  -- The chain, entry after entry: each hash covers the one before it.
  FOR v_row IN SELECT e.p FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS e (p, n) ORDER BY e.n LOOP
    v_seq := v_seq + 1;
    v_seqs := v_seqs || v_seq;
    v_prevs := v_prevs || v_prev;
    v_prev := encode(sha256(convert_to(v_prev || (v_row->>14) || v_seq::text || (v_row->>15), 'UTF8')), 'hex');
    v_hashes := v_hashes || v_prev;
  END LOOP;

  -- READ COMMITTED needs no subtransaction: each statement takes a fresh snapshot after the lock.
  IF current_setting('transaction_isolation') = 'read committed' THEN
    v_ids := gomomo_audit_insert_chained(v_tenant, p_rows, v_seqs, v_prevs, v_hashes);
  ELSE
    BEGIN
      v_ids := gomomo_audit_insert_chained(v_tenant, p_rows, v_seqs, v_prevs, v_hashes);
    EXCEPTION WHEN unique_violation THEN
      RAISE EXCEPTION 'the audit chain moved on after this transaction''s snapshot was taken'
        USING ERRCODE = 'serialization_failure', HINT = 'Run the whole transaction again.';
    END;
  END IF;

  PERFORM gomomo_audit_move_head(v_tenant, v_seq, v_prev, v_ids[cardinality(v_ids)]);
  RETURN QUERY SELECT v_ids[i], v_seqs[i], v_hashes[i] FROM generate_subscripts(v_seqs, 1) AS i ORDER BY i;
END
$$;
