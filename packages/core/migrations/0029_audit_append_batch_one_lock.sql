-- @gomomo/policy: a batch of one tenant's audit entries takes the chain lock, reads the head and
-- moves it once, and inserts every entry in one statement (issue 15).
--
-- Migration 0028 called `gomomo_audit_append_v2` per entry: per entry a lock call, a head read, the
-- head's confirmation in the log, an insert and a head update. A booking's confirmation and
-- reminders are four entries, and the autonomy worker seals several events' entries in one batch:
-- the appends were about half of the Postgres time the worker spends per booking in
-- `pnpm bench:api`. The same chain is written: the same seq, prev_hash and hash per entry, in the
-- order given. A batch that names more than one tenant is appended entry by entry, as before.
--
-- The head row is confirmed as by `gomomo_audit_append_v2`, and the log is also asked whether an
-- entry already follows it (a head row behind the log: a log restored without this table). Then
-- the head comes from the log. Both reads run after the lock, so in READ COMMITTED nothing can be
-- appended between them and the insert. Under REPEATABLE READ or SERIALIZABLE the snapshot may
-- predate an entry another transaction appended since; the insert then collides on
-- (tenant_id, seq), which is reported as a serialization failure (40001) for the caller to run its
-- transaction again, as `gomomo_audit_append_v2` does.

-- Inserts a batch's entries, chained by the caller (who holds the chain lock); their ids in order.
-- PL/pgSQL, so each connection plans the insert once.
CREATE FUNCTION gomomo_audit_insert_chained(p_tenant uuid, p_rows jsonb, p_seqs bigint[], p_prevs text[], p_hashes text[]) RETURNS bigint[]
  LANGUAGE plpgsql VOLATILE
  AS $$
DECLARE
  v_ids bigint[];
BEGIN
  WITH inserted AS (
    INSERT INTO audit_log (tenant_id, seq, occurred_at, actor, channel, action, tool, outcome, reason, rule_id, rule_version,
                           session_id, subject_id, client_ref, details, prev_hash, hash, hash_version)
    SELECT p_tenant, p_seqs[e.n], (e.p->>1)::timestamptz, e.p->>2, e.p->>3, e.p->>4, e.p->>5, e.p->>6, e.p->>7, e.p->>8,
           (e.p->>9)::integer, e.p->>10, e.p->>11, e.p->>12, (e.p->>13)::jsonb, p_prevs[e.n], p_hashes[e.n], 2
      FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS e (p, n)
     ORDER BY e.n
    RETURNING audit_log.id, audit_log.seq)
  SELECT array_agg(i.id ORDER BY i.seq) INTO v_ids FROM inserted i;
  RETURN v_ids;
END
$$;
GRANT EXECUTE ON FUNCTION gomomo_audit_insert_chained(uuid, jsonb, bigint[], text[], text[]) TO gomomo_app;

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
    IF v_confirmed AND EXISTS (SELECT 1 FROM audit_log a WHERE a.tenant_id = v_tenant AND a.seq = v_seq + 1) THEN
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
