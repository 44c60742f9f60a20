-- The enqueue trigger runs once per domain event, inside every booking transaction. Its check that
-- graphile-worker is installed parsed nine type names per row (to_regprocedure with a full
-- signature, about 2–3% of a confirm's Postgres CPU). Looking the schema up is enough: the worker
-- installs add_job together with its schema, and a missing function would fail loudly anyway.
CREATE OR REPLACE FUNCTION gomomo_enqueue_event_job() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, public
  AS $$
BEGIN
  IF to_regnamespace('graphile_worker') IS NOT NULL THEN
    PERFORM graphile_worker.add_job(
      'domain_event',
      json_build_object('id', NEW.id, 'tenantId', NEW.tenant_id),
      job_key => 'domain_event:' || NEW.id,
      job_key_mode => 'unsafe_dedupe',
      max_attempts => 8);
  END IF;
  RETURN NULL;
END
$$;
