-- @gomomo/autonomy: an offer is open until its hold is booked (accepted) or lapses or is given back
-- (lapsed). Settling it is a conditional update, so the lapse job and the hold.expired event settle
-- it once between them.
ALTER TABLE waitlist_offers ADD COLUMN status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'lapsed'));
CREATE INDEX waitlist_offers_hold ON waitlist_offers (tenant_id, hold_id);
