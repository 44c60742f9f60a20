-- @gomomo/policy: a batch of audit entries appended by one function call (issue 15).
--
-- `p_rows` is a jsonb array of the parameter lists `gomomo_audit_append_v2` takes (policy's
-- `auditBatchOf` prepares it: redacted, canonical JSON, split around `seq` for hashing), appended
-- in order inside the caller's transaction. A package that closes its own transaction with one
-- statement (the autonomy worker: action records, receipt, reminders) calls it in that statement,
-- so its audit entries commit with its work without a round trip of their own. The tenant's chain
-- lock is held until the caller's transaction ends: call it last, just before COMMIT.
CREATE FUNCTION gomomo_audit_append_batch(p_rows jsonb) RETURNS TABLE (id bigint, seq bigint, hash text)
  LANGUAGE sql VOLATILE
  AS $$
  SELECT a.id, a.seq, a.hash
    FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS e (p, n)
   CROSS JOIN LATERAL gomomo_audit_append_v2(
     (e.p->>0)::uuid, (e.p->>1)::timestamptz, e.p->>2, e.p->>3, e.p->>4, e.p->>5, e.p->>6, e.p->>7, e.p->>8,
     (e.p->>9)::integer, e.p->>10, e.p->>11, e.p->>12, (e.p->>13)::jsonb, e.p->>14, e.p->>15) AS a
   ORDER BY e.n
$$;
GRANT EXECUTE ON FUNCTION gomomo_audit_append_batch(jsonb) TO gomomo_app;
