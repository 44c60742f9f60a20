-- @gomomo/channels: send-time truth. A message tied to an appointment records what it describes
-- (the appointment's change sequence and the status it presumes, 'booked' or 'cancelled'); the
-- sender re-reads the appointment when it sends, and a message that no longer matches (cancelled,
-- moved, started) ends 'obsolete' instead of being sent. `send_before` is a message's deadline (a
-- reminder: the start; an offer: its hold's expiry): past it, or when quiet hours would hold it past
-- it, the message ends 'obsolete' too. Rows written before this migration carry none of these and
-- are sent as before.
ALTER TABLE notification_outbox
  ADD COLUMN appointment_change_seq integer CHECK (appointment_change_seq >= 1),
  ADD COLUMN appointment_status text CHECK (appointment_status IN ('booked', 'cancelled')),
  ADD COLUMN send_before timestamptz,
  ADD CONSTRAINT notification_outbox_about_complete
    CHECK ((appointment_change_seq IS NULL) = (appointment_status IS NULL) AND (appointment_status IS NULL OR appointment_id IS NOT NULL));

ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_status_check;
ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_status_check CHECK (status IN (
  'pending', 'sending', 'sent', 'failed', 'permanently_failed',
  'rate_limited', 'suppressed', 'opted_out', 'delivered', 'undelivered', 'obsolete'));
