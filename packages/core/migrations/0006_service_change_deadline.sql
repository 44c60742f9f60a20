-- Per-service change deadline (issue 12 item 7): customers may not cancel or move a booking of this
-- service within `change_deadline_hours` of its start. 0 means no deadline (only "past is past").
-- Measured on absolute time (start minus N hours), so a DST change in between moves nothing.
-- At most 30 days: a longer window would mean "never changeable", which a tenant says by policy.
ALTER TABLE services
  ADD COLUMN change_deadline_hours integer NOT NULL DEFAULT 0
    CHECK (change_deadline_hours BETWEEN 0 AND 720);
