-- @gomomo/channels: quiet hours. A non-transactional SMS (reminder, follow-up, waitlist offer) is
-- held by the sender until 08:00–21:00 on the recipient's clock (see smsSendTime); a transactional
-- one — the confirmation of something the customer just did, or a reply to their text — goes at
-- once. Existing rows and callers that do not say are transactional: replies and confirmations were
-- the only SMS before this column existed.
ALTER TABLE notification_outbox ADD COLUMN is_transactional boolean NOT NULL DEFAULT true;
