-- @gomomo/channels: a hold follow-up ("that time is still open") names its lapsed hold, and the
-- sender re-checks it at send time like an appointment message: once the hold's conversation has
-- booked anything since it took the hold, the follow-up ends 'obsolete'. A follow-up queued at
-- night waits for 08:00; a customer who came back and booked at 07:00 must not get it.
ALTER TABLE notification_outbox ADD COLUMN hold_id uuid;
