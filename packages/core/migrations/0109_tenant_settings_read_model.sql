-- @gomomo/core: a tenant's settings as a read model function (issue 15), so another package's one
-- statement can carry them: after every web chat turn, the receptionist read the whole tenant in a
-- transaction of its own to learn whether the business lets customers be remembered on a device. As
-- the functions of migration 0102: one SELECT in `LANGUAGE sql`, STABLE, run as the caller (Row-Level
-- Security applies). NULL: no such tenant, or another tenant's.
CREATE FUNCTION gomomo_tenant_settings(p_tenant uuid) RETURNS jsonb
  LANGUAGE sql STABLE
  AS $$
  SELECT t.settings FROM tenants t WHERE t.id = p_tenant
$$;
