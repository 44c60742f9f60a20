-- @gomomo/server: an Idempotency-Key costs one round trip to claim and one to finish (issue 15),
-- instead of two tenant transactions of three (BEGIN with the tenant, the statements, COMMIT).
-- Each function enters the tenant itself (`gomomo_enter_tenant`, migration 0011) and runs as its
-- own autocommit statement, at READ COMMITTED: each of its statements takes a fresh snapshot.
--
-- The claim: insert the key; or take over a claim of the same request whose lease ran out; or report
-- what is stored. Two racing requests stay safe at READ COMMITTED: the INSERT waits on the other's
-- uncommitted key (unique index) and then does nothing; the takeover UPDATE re-checks its WHERE on
-- the row it locked (the manual, 13.2.1), so of two retries after the lease only one takes it over.
CREATE FUNCTION gomomo_idempotency_claim(
  p_tenant uuid, p_key text, p_procedure text, p_request_hash text, p_lease_until timestamptz,
  p_lease_ms double precision, p_now timestamptz, p_correlation text
) RETURNS TABLE (claimed boolean, request_hash text, response jsonb, lease_expires_at timestamptz, created_at timestamptz)
  LANGUAGE plpgsql
  VOLATILE
  AS $$
#variable_conflict use_column
BEGIN
  PERFORM gomomo_enter_tenant(p_tenant, p_correlation);
  INSERT INTO idempotency_keys (tenant_id, key, procedure, request_hash, lease_expires_at)
  VALUES (p_tenant, p_key, p_procedure, p_request_hash, p_lease_until)
  ON CONFLICT (tenant_id, key) DO NOTHING;
  IF FOUND THEN
    RETURN QUERY SELECT true, NULL::text, NULL::jsonb, NULL::timestamptz, NULL::timestamptz;
    RETURN;
  END IF;
  UPDATE idempotency_keys k SET lease_expires_at = p_lease_until
   WHERE k.tenant_id = p_tenant AND k.key = p_key AND k.request_hash = p_request_hash AND k.response IS NULL
     AND COALESCE(k.lease_expires_at, k.created_at + make_interval(secs => p_lease_ms / 1000)) <= p_now;
  IF FOUND THEN
    RETURN QUERY SELECT true, NULL::text, NULL::jsonb, NULL::timestamptz, NULL::timestamptz;
    RETURN;
  END IF;
  RETURN QUERY SELECT false, k.request_hash, k.response, k.lease_expires_at, k.created_at
    FROM idempotency_keys k WHERE k.tenant_id = p_tenant AND k.key = p_key;
END
$$;

-- The finish: store the result (p_response not null), or free the key after a failed attempt so a
-- retry really retries (p_response null).
CREATE FUNCTION gomomo_idempotency_finish(p_tenant uuid, p_key text, p_response jsonb, p_correlation text) RETURNS void
  LANGUAGE plpgsql
  VOLATILE
  AS $$
BEGIN
  PERFORM gomomo_enter_tenant(p_tenant, p_correlation);
  IF p_response IS NULL THEN
    DELETE FROM idempotency_keys WHERE tenant_id = p_tenant AND key = p_key;
  ELSE
    UPDATE idempotency_keys SET response = p_response, completed_at = now() WHERE tenant_id = p_tenant AND key = p_key;
  END IF;
END
$$;
