-- @gomomo/core: `gomomo_waitlist_offer_open` planned once per connection (issue 15).
--
-- Migration 0102 wrote it in `LANGUAGE sql` to be inlined into the caller's statement. Postgres
-- inlines no function whose body holds a subquery, and this one is an EXISTS: every call parsed and
-- planned the body afresh (`pg_stat_statements` counted one plan per call, once per booking in the
-- worker's claim). In PL/pgSQL the statement's plan is kept for the connection. Same arguments,
-- same answer, still run as the caller (Row-Level Security applies).
CREATE OR REPLACE FUNCTION gomomo_waitlist_offer_open(p_tenant uuid, p_hold uuid) RETURNS boolean
  LANGUAGE plpgsql STABLE
  AS $$
BEGIN
  RETURN EXISTS (SELECT 1 FROM waitlist_entries w WHERE w.tenant_id = p_tenant AND w.offer_hold_id = p_hold AND w.status = 'offered');
END
$$;
