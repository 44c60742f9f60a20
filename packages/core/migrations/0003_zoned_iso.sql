-- An instant as ISO 8601 with the tenant's offset, exactly as the TypeScript side writes it with
-- luxon (src/bookings/format.ts toZonedIso): "2026-12-01T10:00:00.000-05:00", and "Z" for the
-- zone "UTC" (the only zone name without a slash that tenants may have; "Etc/UTC" gets "+00:00").
-- Why: confirm writes its booking.created event in the same statement that locks and checks the
-- hold, so the event's local start/end must be formatted inside that statement. Tenant zones
-- already go through Postgres' tz database (availability's AT TIME ZONE), so this adds no new
-- dependency. STABLE, not IMMUTABLE: the result follows the server's tz database.
-- One SELECT of one expression, no FROM, so the planner inlines it: a SQL function that is not
-- inlined is parsed and planned again in every statement that calls it (about 50 µs a call site).
CREATE FUNCTION gomomo_zoned_iso(instant timestamptz, zone text) RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT to_char(instant AT TIME ZONE zone, 'YYYY-MM-DD"T"HH24:MI:SS.MS')
        || CASE WHEN zone = 'UTC' THEN 'Z'
                WHEN instant AT TIME ZONE zone < instant AT TIME ZONE 'UTC'
                  THEN to_char((instant AT TIME ZONE 'UTC') - (instant AT TIME ZONE zone), '"-"HH24:MI')
                ELSE to_char((instant AT TIME ZONE zone) - (instant AT TIME ZONE 'UTC'), '"+"HH24:MI')
           END
  $$;
