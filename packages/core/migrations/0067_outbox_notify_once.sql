-- @gomomo/channels: the outbox takes part in core's one notification per transaction (migration
-- 0008). Queuing messages now only remembers it; at commit a transaction that also wrote domain
-- events announces both in one gomomo_events notification (its payload ends in ';outbox'), one
-- that did not sends gomomo_outbox as before. The sender listens on both (outbox/sender.ts).
CREATE OR REPLACE FUNCTION gomomo_notify_outbox() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM set_config('gomomo.pending_outbox', 'on', true);
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER notification_outbox_notify_once AFTER INSERT ON notification_outbox
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION gomomo_notify_once();
