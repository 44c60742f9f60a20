-- @gomomo/autonomy: a dead letter for EVERY job that failed its last attempt, not only for jobs whose
-- payload named an existing tenant. A job with a missing, malformed or deleted tenant (or a payload
-- that is not an object at all) is recorded with tenant_id NULL: such rows are visible to the owner
-- role (operators, the worker) and never to a tenant (gomomo_row_visible(NULL) is false for the app).
ALTER TABLE job_dead_letters ALTER COLUMN tenant_id DROP NOT NULL;
ALTER TABLE job_dead_letters ADD COLUMN job_key text;
CREATE INDEX job_dead_letters_failed ON job_dead_letters (failed_at);
