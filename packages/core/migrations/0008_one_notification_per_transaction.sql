-- One NOTIFY per transaction (issue 15, item 5). A NOTIFY takes a cluster-wide lock at commit, so
-- committing transactions that notify run one at a time; a booking change used to send up to three
-- (this table's per-row trigger, graphile-worker's add_job, the outbox's). From here on a
-- transaction's triggers only REMEMBER what to announce, in transaction-local settings (a rolled-back
-- savepoint forgets its part with it), and one deferred constraint trigger sends a single
-- notification at commit:
--
--   gomomo_events  '<tenant>:<event id>[;<tenant>:<event id>…][;outbox]'  events were written (and,
--                  with the `outbox` part, outbox messages were queued too); `*` in place of the
--                  list when it would not fit a payload (listeners then replay from the table)
--   gomomo_outbox  ''                                                    only outbox messages
--
-- A transaction with one event still sends '<tenant>:<event id>', exactly as before.
-- The job enqueue (autonomy, migration 0054) adds no notification of its own: the job runner wakes
-- on gomomo_events. The outbox's part is channels' migration 0067.

-- Per event, at once: remember it (and stop listing once the list could not be sent).
CREATE OR REPLACE FUNCTION gomomo_notify_event() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  pending text := coalesce(current_setting('gomomo.pending_events', true), '');
BEGIN
  IF pending <> '*' THEN
    pending := CASE WHEN pending = '' THEN '' ELSE pending || ';' END || NEW.tenant_id::text || ':' || NEW.id::text;
    PERFORM set_config('gomomo.pending_events', CASE WHEN octet_length(pending) > 7900 THEN '*' ELSE pending END, true);
  END IF;
  RETURN NULL;
END
$$;

-- At commit: the first deferred firing sends everything remembered and clears it; the rest find
-- nothing to send. Shared with the outbox's deferred trigger (migration 0067).
CREATE FUNCTION gomomo_notify_once() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  events text := coalesce(current_setting('gomomo.pending_events', true), '');
  outbox text := coalesce(current_setting('gomomo.pending_outbox', true), '');
BEGIN
  IF events = '' AND outbox = '' THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('gomomo.pending_events', '', true), set_config('gomomo.pending_outbox', '', true);
  IF events = '' THEN
    PERFORM pg_notify('gomomo_outbox', '');
  ELSE
    PERFORM pg_notify('gomomo_events', CASE WHEN outbox = '' THEN events ELSE events || ';outbox' END);
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER domain_events_notify_once AFTER INSERT ON domain_events
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION gomomo_notify_once();
