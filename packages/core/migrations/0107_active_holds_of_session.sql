-- @gomomo/core: a conversation's active holds as a read model function (issue 15), so the agent's
-- statement that opens a turn carries the read instead of sending it as a round trip of its own
-- (every turn of every conversation paid for it). As the functions of migration 0102: one SELECT in
-- `LANGUAGE sql`, STABLE and not STRICT, inlined into the caller's statement and run as the caller,
-- so Row-Level Security applies. Core's `readActiveHoldsOfSession` goes through it too.
CREATE FUNCTION gomomo_active_holds_of_session(p_tenant uuid, p_session text)
  RETURNS TABLE (id uuid, expires_at timestamptz)
  LANGUAGE sql STABLE
  AS $$
  SELECT h.id, h.expires_at FROM holds h WHERE h.tenant_id = p_tenant AND h.session_id = p_session AND h.status = 'active'
$$;
