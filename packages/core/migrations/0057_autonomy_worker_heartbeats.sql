-- @gomomo/autonomy: each job-runner process beats here with the ids of its graphile-worker workers.
-- A process that stops beating (kill -9, a lost machine) has its jobs unlocked by the live ones
-- within two job timeouts, instead of after graphile-worker's four-hour lock expiry. Not tenant
-- data: one row per process, no personal data, read and written only by the worker's own pool.
CREATE TABLE autonomy_workers (
  id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 100),
  worker_ids text[] NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  beat_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX autonomy_workers_beat ON autonomy_workers (beat_at);
