-- @gomomo/autonomy: the domain-event job is still enqueued IN THE EVENT'S TRANSACTION (it exists if
-- and only if the event commits, as before), but without graphile-worker's own NOTIFY
-- ('jobs:insert', sent by add_job for every job). The transaction's one notification is core's
-- gomomo_events (migration 0008), and the job runner wakes its workers on that
-- (queue/runner.ts); its 2 s poll stays the fallback.
--
-- So this writes the row add_job(..., job_key_mode => 'unsafe_dedupe') would write, minus the
-- notification: graphile-worker 0.17's tables (schema revision 19; the version is pinned in
-- package.json and the queue tests run against it). A job with the same key already queued (the
-- catch-up raced us) is left alone, as unsafe_dedupe did.
CREATE OR REPLACE FUNCTION gomomo_enqueue_event_job() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  task integer;
BEGIN
  IF to_regnamespace('graphile_worker') IS NULL THEN
    RETURN NULL;
  END IF;
  SELECT id INTO task FROM graphile_worker._private_tasks WHERE identifier = 'domain_event';
  IF task IS NULL THEN
    INSERT INTO graphile_worker._private_tasks (identifier) VALUES ('domain_event') ON CONFLICT (identifier) DO NOTHING;
    SELECT id INTO task FROM graphile_worker._private_tasks WHERE identifier = 'domain_event';
  END IF;
  INSERT INTO graphile_worker._private_jobs (task_id, payload, max_attempts, key)
  VALUES (task, json_build_object('id', NEW.id, 'tenantId', NEW.tenant_id), 8, 'domain_event:' || NEW.id)
  ON CONFLICT (key) DO NOTHING;
  RETURN NULL;
END
$$;
