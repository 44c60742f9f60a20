-- @gomomo/autonomy: only an event some handler acts on becomes a job (issue 15). Every event used to
-- become a `domain_event` job, so a booking (hold.created, then booking.created) cost two jobs of
-- about ten round trips each, although hold.created has nothing to do: its job only wrote a
-- "nothing to do" receipt. Now the enqueue trigger (0050, 0054) fires only for the types below that
-- are NOT listed, and the worker's catch-up (queue/install.ts) asks the same function.
--
-- A deny list, so a new event type becomes a job by default (a handler that is missed is worse than
-- a job that finds nothing to do). It must equal the handlers that do nothing in
-- packages/autonomy/src/handlers/dispatch.ts (`eventTypesWithoutWork`); a test compares the two.
-- Such events are still pushed to listeners (gomomo_events) and kept in domain_events; they get no
-- receipt, since no job ever handles them.
CREATE FUNCTION gomomo_event_needs_job(p_type text) RETURNS boolean
  LANGUAGE sql
  IMMUTABLE
  PARALLEL SAFE
  AS $$
    SELECT p_type NOT IN ('hold.created', 'waitlist.joined', 'waitlist.offered', 'conversation.taken_over',
                          'conversation.handed_back', 'conversation.staff_replied', 'conversation.customer_wrote')
  $$;

-- The WHEN clause is evaluated before the trigger function is called, so an event without work costs
-- no plpgsql call at all.
DROP TRIGGER domain_events_enqueue_job ON domain_events;
CREATE TRIGGER domain_events_enqueue_job AFTER INSERT ON domain_events
  FOR EACH ROW WHEN (gomomo_event_needs_job(NEW.type)) EXECUTE FUNCTION gomomo_enqueue_event_job();
