-- @gomomo/channels: everything the outbox sender checks before handing a message to a provider, in
-- one round trip: the email suppression list, the person's opt-out, and the per-phone sliding-window
-- SMS limit (a slot is reserved when there is room). One statement is one transaction, so the
-- advisory lock per (tenant, phone) serialises concurrent senders for that phone only.
CREATE FUNCTION gomomo_outbox_gate(p_tenant uuid, p_channel text, p_recipient text, p_now timestamptz, p_max integer, p_window_ms bigint)
  RETURNS TABLE (verdict text, retry_at timestamptz)
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_count integer;
  v_window_start timestamptz := p_now - make_interval(secs => p_window_ms / 1000.0);
BEGIN
  IF p_channel = 'email' AND EXISTS (SELECT 1 FROM email_suppressions WHERE tenant_id = p_tenant AND email = p_recipient) THEN
    RETURN QUERY SELECT 'suppressed'::text, NULL::timestamptz;
    RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM contact_consents WHERE tenant_id = p_tenant AND channel = p_channel AND address = p_recipient AND status = 'opted_out') THEN
    RETURN QUERY SELECT 'opted_out'::text, NULL::timestamptz;
    RETURN;
  END IF;
  IF p_channel <> 'sms' THEN
    RETURN QUERY SELECT 'ok'::text, NULL::timestamptz;
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('sms-rate:' || p_tenant::text || ':' || p_recipient, 0));
  SELECT count(*) INTO v_count FROM sms_rate_events WHERE tenant_id = p_tenant AND phone = p_recipient AND sent_at > v_window_start;
  IF v_count >= p_max THEN
    -- The window slides: a slot frees when the oldest message that keeps it full leaves.
    RETURN QUERY
      SELECT 'rate_limited'::text, e.sent_at + make_interval(secs => p_window_ms / 1000.0)
        FROM sms_rate_events e
       WHERE e.tenant_id = p_tenant AND e.phone = p_recipient AND e.sent_at > v_window_start
       ORDER BY e.sent_at
      OFFSET v_count - p_max LIMIT 1;
    RETURN;
  END IF;
  INSERT INTO sms_rate_events (tenant_id, phone, sent_at) VALUES (p_tenant, p_recipient, p_now);
  RETURN QUERY SELECT 'ok'::text, NULL::timestamptz;
END
$$;
