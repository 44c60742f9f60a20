-- @gomomo/agent: who answers a conversation, read in one round trip (issue 15).
--
-- Before a tool that changes something, the executor reads the conversation's hand-off, so a turn
-- that started before a staff take-over does not act after it. That read was a tenant transaction
-- of its own: BEGIN with the role and the tenant, the SELECT, COMMIT — three round trips on every
-- turn that holds, books, moves or cancels. This function enters the tenant itself (as core's
-- one-statement writes do, `gomomo_enter_tenant`, migration 0011), so the read is one autocommit
-- statement, with Row-Level Security applying as before. NULL: no such conversation for the tenant.
CREATE FUNCTION gomomo_agent_handoff(p_tenant uuid, p_session text) RETURNS text
  LANGUAGE plpgsql
  VOLATILE
  AS $$
BEGIN
  PERFORM gomomo_enter_tenant(p_tenant, NULL);
  RETURN (SELECT s.handoff FROM agent_sessions s WHERE s.tenant_id = p_tenant AND s.id = p_session);
END
$$;
