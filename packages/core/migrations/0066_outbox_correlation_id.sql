-- @gomomo/channels: the request (or job) that queued a message, so an operator can follow one
-- request from its log lines through its jobs to the messages they sent. Filled, like
-- domain_events.correlation_id (0007), from the transaction's `gomomo.correlation_id` setting, so
-- no INSERT changes. Internal: never shown to customers. current_setting is STABLE: no rewrite.
ALTER TABLE notification_outbox
  ADD COLUMN correlation_id text
    DEFAULT nullif(current_setting('gomomo.correlation_id', true), '')
    CHECK (correlation_id IS NULL OR length(correlation_id) <= 128);
