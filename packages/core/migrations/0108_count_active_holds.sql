-- @gomomo/core: how many of some holds still hold their slot, as a read model function (issue 15),
-- so another package's one statement can carry the count: the agent's hold quota counted them in a
-- tenant transaction of its own before every hold a customer asked for. As the functions of
-- migration 0102: one SELECT in `LANGUAGE sql`, STABLE, run as the caller (Row-Level Security
-- applies). Core's `countActiveHolds` goes through it too.
CREATE FUNCTION gomomo_count_active_holds(p_tenant uuid, p_holds uuid[], p_now timestamptz) RETURNS integer
  LANGUAGE sql STABLE
  AS $$
  SELECT count(*)::integer
    FROM holds h JOIN claims c ON c.id = h.claim_id AND c.tenant_id = h.tenant_id
   WHERE h.tenant_id = p_tenant AND h.id = ANY (p_holds) AND h.status = 'active' AND h.expires_at > p_now AND c.is_active
$$;
