-- The request (or job) that caused a domain event: its correlation id, so an operator can follow
-- one request from its log lines into the jobs it set off. Filled from the transaction's
-- `gomomo.correlation_id` setting (core's withTenant/withTransaction set it inside
-- runWithCorrelationId), so no INSERT changes. Internal: never part of what is pushed to customers.
-- current_setting is STABLE, so adding the column rewrites nothing (existing rows read NULL).
ALTER TABLE domain_events
  ADD COLUMN correlation_id text
    DEFAULT nullif(current_setting('gomomo.correlation_id', true), '')
    CHECK (correlation_id IS NULL OR length(correlation_id) <= 128);
