-- @gomomo/autonomy: the enqueue trigger's WHEN clause lists the event types without work itself
-- (issue 15). Migration 0180 wrote it as `WHEN (gomomo_event_needs_job(NEW.type))`. Postgres
-- prepares a trigger's WHEN clause afresh for every statement that inserts an event, and to prepare
-- a call of a SQL function it parses and analyses the function's body again. That was about 22 µs
-- of Postgres CPU for every event, measured on one connection (a booking writes two): a sixteenth of
-- a confirm. A constant array costs no parse.
--
-- The list equals `gomomo_event_needs_job` (0180), which the worker's catch-up still calls, and
-- `eventTypesWithoutWork` in packages/autonomy/src/handlers/dispatch.ts. A test inserts an event of
-- every type and checks that this trigger, the function and the handlers agree.
DROP TRIGGER domain_events_enqueue_job ON domain_events;
CREATE TRIGGER domain_events_enqueue_job AFTER INSERT ON domain_events
  FOR EACH ROW
  WHEN (NEW.type <> ALL ('{hold.created,waitlist.joined,waitlist.offered,conversation.taken_over,conversation.handed_back,conversation.staff_replied,conversation.customer_wrote}'::text[]))
  EXECUTE FUNCTION gomomo_enqueue_event_job();
