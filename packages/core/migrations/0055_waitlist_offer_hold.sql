-- @gomomo/core: a waitlist entry that is on offer remembers the hold keeping the slot for it, so the
-- conversation the hold belongs to (or one that proves the entry's email or phone) can find the
-- offer and confirm it, and the entry can go back to waiting when the hold lapses.
ALTER TABLE waitlist_entries ADD COLUMN offer_hold_id uuid REFERENCES holds (id);
CREATE INDEX waitlist_entries_offer_hold ON waitlist_entries (tenant_id, offer_hold_id) WHERE offer_hold_id IS NOT NULL;
