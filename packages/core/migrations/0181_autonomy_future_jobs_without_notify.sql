-- @gomomo/autonomy: jobs for later (a booking's reminders) enqueued without graphile-worker's NOTIFY
-- (issue 15, item 5).
--
-- `graphile_worker.add_jobs` sends 'jobs:insert' for every call, so the transaction that schedules
-- a booking's reminders (the confirmation job's) sent two notifications: core's gomomo_events and
-- this one. A NOTIFY takes a cluster-wide lock at commit, and nobody needs waking for a job due
-- tomorrow. This writes the rows add_jobs writes (graphile-worker 0.17, schema revision 19: the
-- version is pinned in package.json and the queue tests run against it), with the same `replace`
-- semantics for a job key, and notifies only when one of the jobs is already due.
CREATE FUNCTION gomomo_add_jobs_quietly(p_specs jsonb) RETURNS integer
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_count integer;
BEGIN
  INSERT INTO graphile_worker._private_tasks AS tasks (identifier)
  SELECT DISTINCT s.task FROM jsonb_to_recordset(p_specs) AS s (task text)
   WHERE NOT EXISTS (SELECT 1 FROM graphile_worker._private_tasks AS t WHERE t.identifier = s.task)
  ON CONFLICT DO NOTHING;
  -- A job with the key that is already running keeps running (its view of the world is older); its
  -- key is cleared and it is not retried, and the new one is a job of its own, as add_jobs does.
  -- By the key's unique index: a join here was planned as a scan of every queued job.
  UPDATE graphile_worker._private_jobs AS jobs
     SET key = NULL, attempts = jobs.max_attempts, updated_at = now()
   WHERE jobs.key = ANY (ARRAY(SELECT s.job_key FROM jsonb_to_recordset(p_specs) AS s (job_key text) WHERE s.job_key IS NOT NULL))
     AND jobs.is_available IS NOT TRUE;
  INSERT INTO graphile_worker._private_jobs AS jobs (job_queue_id, task_id, payload, run_at, max_attempts, key, priority, flags)
  SELECT NULL, tasks.id, coalesce(s.payload, '{}'::json), coalesce(s.run_at, now()), coalesce(s.max_attempts, 25), s.job_key, 0, NULL
    FROM jsonb_array_elements(p_specs) WITH ORDINALITY AS e (spec, n)
   CROSS JOIN LATERAL jsonb_to_record(e.spec) AS s (task text, payload json, run_at timestamptz, max_attempts smallint, job_key text)
    JOIN graphile_worker._private_tasks AS tasks ON tasks.identifier = s.task
   ORDER BY e.n
  ON CONFLICT (key) DO UPDATE SET
    job_queue_id = excluded.job_queue_id,
    task_id = excluded.task_id,
    payload = excluded.payload,
    max_attempts = excluded.max_attempts,
    run_at = excluded.run_at,
    priority = excluded.priority,
    revision = jobs.revision + 1,
    flags = excluded.flags,
    attempts = 0,
    last_error = NULL,
    updated_at = now()
  WHERE jobs.locked_at IS NULL;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  IF EXISTS (SELECT 1 FROM jsonb_to_recordset(p_specs) AS s (run_at timestamptz) WHERE s.run_at IS NULL OR s.run_at <= now()) THEN
    PERFORM pg_notify('jobs:insert', '{"r":' || random()::text || ',"count":' || jsonb_array_length(p_specs)::text || '}');
  END IF;
  RETURN v_count;
END
$$;
-- The worker runs it as the owner; the app role never enqueues jobs.
REVOKE EXECUTE ON FUNCTION gomomo_add_jobs_quietly(jsonb) FROM PUBLIC;
