-- @gomomo/server caches verified API keys in each process (issue 15: one round trip for a read).
-- A revoked or deleted key, or a change to the tenant's allowed origins (which a verified key
-- carries), tells every instance at commit, so caches drop that tenant's keys within milliseconds
-- rather than waiting out their one-second bound. The payload is only the tenant id; Postgres folds
-- identical notifications of one transaction into one. last_used_at updates do not fire it.
CREATE FUNCTION gomomo_notify_key_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gomomo_keys', coalesce(NEW.tenant_id, OLD.tenant_id)::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER api_keys_notify_change AFTER UPDATE OF revoked_at, key_hash, kind, tenant_id OR DELETE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION gomomo_notify_key_change();
CREATE TRIGGER allowed_origins_notify_change AFTER INSERT OR UPDATE OR DELETE ON allowed_origins
  FOR EACH ROW EXECUTE FUNCTION gomomo_notify_key_change();
