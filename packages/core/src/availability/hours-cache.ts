import type { Queryable } from '../db/pool.js';
import type { DateOverride } from './compute-slots.js';
import type { RawHours } from './load-schedule.js';

/** What availability needs besides busy time, for the whole tenant: weekly hours and upcoming date overrides. */
export interface TenantHours {
  hours: RawHours[];
  /** Overrides from the day before the read on (earlier ones can no longer open a slot). */
  overrides: DateOverride[];
}

/** A per-process memory of each tenant's hours and overrides, trusted for `ttlMs` (0 disables). */
export interface HoursCache {
  get(tenantId: string): TenantHours | undefined;
  /** The cached hours, or a fresh read inside the caller's transaction (then remembered). */
  read(client: Queryable, query: { tenantId: string; timeZone: string; now: Date }): Promise<TenantHours>;
}

/** Reads a tenant's weekly hours and its overrides from yesterday (in its zone) on, in one round trip. */
export async function readTenantHours(client: Queryable, query: { tenantId: string; timeZone: string; now: Date }): Promise<TenantHours> {
  const { rows } = await client.query<{ hours: RawHours[] | null; overrides: DateOverride[] | null }>({
    name: 'gomomo_read_tenant_hours',
    text: `SELECT
       (SELECT json_agg(json_build_object('resourceId', resource_id, 'weekday', weekday,
                                          'opens', to_char(opens_at, 'HH24:MI'), 'closes', to_char(closes_at, 'HH24:MI')))
          FROM business_hours WHERE tenant_id = $1) AS hours,
       (SELECT json_agg(json_build_object('date', to_char(on_date, 'YYYY-MM-DD'), 'resourceId', resource_id,
                                          'opens', to_char(opens_at, 'HH24:MI'), 'closes', to_char(closes_at, 'HH24:MI')) ORDER BY on_date)
          FROM date_overrides WHERE tenant_id = $1 AND on_date >= ($2::timestamptz AT TIME ZONE $3)::date - 1) AS overrides`,
    values: [query.tenantId, query.now, query.timeZone],
  });
  return { hours: rows[0]!.hours ?? [], overrides: rows[0]!.overrides ?? [] };
}

/**
 * Lets availability from memory skip the database: hours and overrides change rarely (staff edit
 * them), so like the catalog they are trusted for `ttlMs` on the process's monotonic clock, and a
 * change reaches readers within it. Nothing exact depends on them: the hold re-checks hours itself.
 */
export function createHoursCache(ttlMs: number): HoursCache {
  const entries = new Map<string, { hours: TenantHours; loadedAt: number }>();
  const cache: HoursCache = {
    get(tenantId) {
      const entry = entries.get(tenantId);
      if (!entry || performance.now() - entry.loadedAt >= ttlMs) return undefined;
      return entry.hours;
    },
    async read(client, query) {
      const cached = cache.get(query.tenantId);
      if (cached) return cached;
      const hours = await readTenantHours(client, query);
      if (ttlMs > 0) {
        // Bounded, as the catalog cache is: tenants come and go in a long-lived process.
        if (entries.size >= 10_000) entries.clear();
        entries.set(query.tenantId, { hours, loadedAt: performance.now() });
      }
      return hours;
    },
  };
  return cache;
}
