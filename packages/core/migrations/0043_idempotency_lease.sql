-- Issue 13: an Idempotency-Key whose request died (process killed between claim and result) stayed
-- "in progress" forever. A claim now holds a lease; once it has run out, a retry with the same
-- request may take the key over. Rows claimed before this migration have no lease: the server
-- treats them as leased from created_at.
ALTER TABLE idempotency_keys ADD COLUMN lease_expires_at timestamptz;
