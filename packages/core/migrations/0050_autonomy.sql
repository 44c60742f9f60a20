-- @gomomo/autonomy: what the job runner records around graphile-worker's own queue.
--
-- Enqueueing: every domain event becomes a `domain_event` job IN THE SAME TRANSACTION as the event,
-- through graphile_worker.add_job() called from a trigger. graphile-worker installs its schema with
-- its own migrator (when a worker starts), not with ours, so the trigger only enqueues once that
-- schema exists; events written before it existed are enqueued by the worker's catch-up pass at
-- start, which skips events that already have a receipt. Handlers are idempotent through the
-- receipt (one per event, written in the handler's transaction).

-- SECURITY DEFINER: events are written as gomomo_app, which has no rights on graphile_worker's
-- tables; the function runs as the schema owner instead, with a fixed search_path.
CREATE FUNCTION gomomo_enqueue_event_job() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, public
  AS $$
BEGIN
  IF to_regprocedure('graphile_worker.add_job(text,json,text,timestamptz,integer,text,integer,text[],text)') IS NOT NULL THEN
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
REVOKE ALL ON FUNCTION gomomo_enqueue_event_job() FROM PUBLIC;
CREATE TRIGGER domain_events_enqueue_job AFTER INSERT ON domain_events
  FOR EACH ROW EXECUTE FUNCTION gomomo_enqueue_event_job();

-- One row per domain event a handler finished with (the idempotency record).
CREATE TABLE autonomy_event_receipts (
  event_id bigint PRIMARY KEY REFERENCES domain_events (id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  outcome text NOT NULL,
  handled_at timestamptz NOT NULL DEFAULT now()
);

-- Every orchestrator tool call: what was asked, what the policy decided, what happened.
CREATE TABLE autonomy_actions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  tool text NOT NULL,
  action text NOT NULL,
  subject_id uuid,
  event_id bigint,
  decision text NOT NULL CHECK (decision IN ('allowed', 'denied')),
  outcome text NOT NULL CHECK (outcome IN ('done', 'skipped', 'denied', 'failed')),
  reason text NOT NULL DEFAULT '',
  detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX autonomy_actions_tenant ON autonomy_actions (tenant_id, id);
CREATE INDEX autonomy_actions_subject ON autonomy_actions (tenant_id, subject_id);

-- A job that failed its last attempt; graphile-worker keeps it as a permanently failed job, this
-- row makes it visible to staff with its tenant and last error.
CREATE TABLE job_dead_letters (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  task text NOT NULL,
  job_id bigint,
  payload jsonb NOT NULL,
  attempts integer NOT NULL,
  last_error text NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX job_dead_letters_tenant ON job_dead_letters (tenant_id, failed_at);

-- Calendar sync retries per appointment: 3 attempts (30 s, 120 s, 480 s) then a staff escalation.
CREATE TABLE calendar_sync_attempts (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  appointment_id uuid NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  status text NOT NULL DEFAULT 'retrying' CHECK (status IN ('retrying', 'synced', 'escalated')),
  last_error text NOT NULL DEFAULT '',
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, appointment_id)
);

-- What needs a person: the autonomous side gave up or was not allowed to act.
CREATE TABLE staff_escalations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  kind text NOT NULL,
  subject_id uuid,
  summary text NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_escalations_open ON staff_escalations (tenant_id, created_at) WHERE status = 'open';

-- A freed slot offered to a waitlist entry, with the hold that keeps it for them.
CREATE TABLE waitlist_offers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  waitlist_entry_id uuid NOT NULL REFERENCES waitlist_entries (id) ON DELETE CASCADE,
  hold_id uuid REFERENCES holds (id),
  slot_start timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, waitlist_entry_id, slot_start)
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['autonomy_event_receipts', 'autonomy_actions', 'job_dead_letters',
                           'calendar_sync_attempts', 'staff_escalations', 'waitlist_offers'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (gomomo_row_visible(tenant_id)) WITH CHECK (gomomo_row_visible(tenant_id))', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO gomomo_app', t);
  END LOOP;
END
$$;
GRANT USAGE ON SEQUENCE autonomy_actions_id_seq, job_dead_letters_id_seq TO gomomo_app;
