-- Why: under Row-Level Security PostgreSQL only uses a condition as an index condition when its
-- functions are LEAKPROOF. The range operator && is not, so the booking guard's overlap test on
-- claims.during ran as a filter after reading every claim of the resource. Under SERIALIZABLE,
-- reading those rows (written by concurrent bookings of *other* slots) made such bookings abort
-- each other with 40001. timestamptz comparisons are leakproof: with the bounds as plain columns
-- and a GiST index over them, the guard reads only the claims that really overlap.
ALTER TABLE claims ADD COLUMN starts_at timestamptz GENERATED ALWAYS AS (lower(during)) STORED;
ALTER TABLE claims ADD COLUMN ends_at timestamptz GENERATED ALWAYS AS (upper(during)) STORED;
CREATE INDEX claims_active_span ON claims USING gist (tenant_id, resource_id, starts_at, ends_at) WHERE is_active;
