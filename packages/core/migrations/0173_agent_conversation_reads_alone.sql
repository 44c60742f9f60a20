-- @gomomo/agent: a conversation started, found by its token, and asked whether it may remember the
-- customer's device, in one round trip each (issue 15).
--
-- Every web chat message names its conversation by its bearer token, and the server looked the
-- token's hash up in a tenant transaction of its own (BEGIN with the role and the tenant, the
-- SELECT, COMMIT) before the turn began; starting a conversation was such a transaction too. These
-- functions enter the tenant themselves (`gomomo_enter_tenant`, migration 0011), so each is one
-- autocommit statement, with Row-Level Security applying as before: another tenant's conversation
-- and an unknown one still look the same.

-- The tenant's conversation with this token hash (visitors) or id (staff): at most one row.
CREATE FUNCTION gomomo_agent_find_conversation(p_tenant uuid, p_token_hash bytea, p_session text)
  RETURNS TABLE (id text, channel text)
  LANGUAGE plpgsql
  VOLATILE
  AS $$
BEGIN
  PERFORM gomomo_enter_tenant(p_tenant, NULL);
  IF p_token_hash IS NOT NULL THEN
    RETURN QUERY SELECT s.id, s.channel FROM agent_sessions s WHERE s.tenant_id = p_tenant AND s.token_hash = p_token_hash;
  ELSE
    RETURN QUERY SELECT s.id, s.channel FROM agent_sessions s WHERE s.tenant_id = p_tenant AND s.id = p_session;
  END IF;
END
$$;

-- A new conversation with the hash of its bearer token.
CREATE FUNCTION gomomo_agent_start_conversation(p_tenant uuid, p_session text, p_channel text, p_token_hash bytea, p_now timestamptz) RETURNS void
  LANGUAGE plpgsql
  VOLATILE
  AS $$
BEGIN
  PERFORM gomomo_enter_tenant(p_tenant, NULL);
  INSERT INTO agent_sessions (id, tenant_id, channel, token_hash, created_at, updated_at) VALUES (p_session, p_tenant, p_channel, p_token_hash, p_now, p_now);
END
$$;

-- What decides whether the widget may offer to remember the customer on this device, read fresh
-- after every web chat turn: the tenant's settings (core's `gomomo_tenant_settings`, 0109; read
-- fresh, so a business that turns remembering off stops the offers at once), and the
-- conversation's contact and device. It was two tenant transactions of three round trips each.
CREATE FUNCTION gomomo_agent_device_offer_state(p_tenant uuid, p_session text)
  RETURNS TABLE (settings jsonb, email text, phone text, device_id uuid)
  LANGUAGE plpgsql
  VOLATILE
  AS $$
BEGIN
  PERFORM gomomo_enter_tenant(p_tenant, NULL);
  RETURN QUERY SELECT gomomo_tenant_settings(p_tenant), s.contact_email, s.contact_phone, s.device_id
    FROM (SELECT 1) AS one LEFT JOIN agent_sessions s ON s.tenant_id = p_tenant AND s.id = p_session;
END
$$;
