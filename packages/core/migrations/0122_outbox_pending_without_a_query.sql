-- @gomomo/channels: queuing an outbox message remembers it without a query (issue 15), as core's
-- migration 0104 does for events. `PERFORM set_config(…)` ran a whole query per message; an
-- assignment is a simple expression. Same setting, same notification at commit (migration 0067).
CREATE OR REPLACE FUNCTION gomomo_notify_outbox() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  ignored text;
BEGIN
  ignored := set_config('gomomo.pending_outbox', 'on', true);
  RETURN NULL;
END
$$;
