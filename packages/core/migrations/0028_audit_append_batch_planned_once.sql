-- @gomomo/policy: `gomomo_audit_append_batch` planned once per connection (issue 15).
--
-- Migration 0027 wrote it in `LANGUAGE sql`. Postgres inlines no VOLATILE set-returning function,
-- so every call parsed and planned its body afresh: once per job of the autonomy worker
-- (`pg_stat_statements` counted one plan per call). In PL/pgSQL the query's plan is kept for the
-- connection. The same entries are appended in the same order, inside the caller's transaction.
CREATE OR REPLACE FUNCTION gomomo_audit_append_batch(p_rows jsonb) RETURNS TABLE (id bigint, seq bigint, hash text)
  LANGUAGE plpgsql VOLATILE
  AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT a.id, a.seq, a.hash
    FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS e (p, n)
   CROSS JOIN LATERAL gomomo_audit_append_v2(
     (e.p->>0)::uuid, (e.p->>1)::timestamptz, e.p->>2, e.p->>3, e.p->>4, e.p->>5, e.p->>6, e.p->>7, e.p->>8,
     (e.p->>9)::integer, e.p->>10, e.p->>11, e.p->>12, (e.p->>13)::jsonb, e.p->>14, e.p->>15) AS a
   ORDER BY e.n;
END
$$;
