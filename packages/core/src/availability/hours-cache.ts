import type { Queryable } from '../db/pool.js';
import type { Catalog } from '../tenants/catalog-cache.js';
import type { DateOverride } from './compute-slots.js';
import type { RawHours } from './load-schedule.js';

/** What availability needs besides busy time, for the whole tenant: weekly hours and upcoming date overrides. */
export interface TenantHours {
  hours: RawHours[];
  /** Overrides from the day before the read on (earlier ones can no longer open a slot). */
  overrides: DateOverride[];
  /**
   * The tenant's schedule version when these were read (migration 0106): every change to its hours
   * or overrides moves it on. A hold judged by these hours sends it with its claim, which refuses
   * to go on if the version moved since. Null if the tenant's row could not be read: then nothing
   * may be judged by these hours without reading them again.
   */
  version: string | null;
}

/** A tenant's catalog with its hours: everything availability from memory reads besides busy time. */
export interface TenantSchedule {
  catalog: Catalog;
  hours: TenantHours;
  /** Connected calendars' busy blocks per resource (issue 18), read with the hours. */
  externalBusy?: Map<string, { start: number; end: number }[]> | undefined;
}

/** A per-process memory of each tenant's schedule for availability from memory (`ttlMs` 0 disables). */
export interface HoursCache {
  /**
   * The tenant's schedule: from memory when loaded less than `ttlMs` ago; past that, still from
   * memory while one `load` refreshes it in the background; loaded (once, however many callers
   * wait) when absent.
   */
  read(tenantId: string, load: () => Promise<TenantSchedule>): Promise<TenantSchedule>;
  /**
   * The tenant's schedule if one is in memory, however old (past `ttlMs` one `load` refreshes it in
   * the background, as `read` does); otherwise undefined, and one `load` starts in the background
   * for the next caller. Always undefined when `ttlMs` is 0. For a caller that checks what it uses
   * (a hold sends the hours' `version` with its claim) and so never waits for a load.
   */
  peek(tenantId: string, load: () => Promise<TenantSchedule>): TenantSchedule | undefined;
}

/** Reads a tenant's weekly hours, its overrides from yesterday (in its zone) on, and its schedule version, in one round trip. */
export async function readTenantHours(client: Queryable, query: { tenantId: string; timeZone: string; now: Date }): Promise<TenantHours> {
  const { rows } = await client.query<{ hours: RawHours[] | null; overrides: DateOverride[] | null; version: string | null }>({
    name: 'gomomo_read_tenant_hours_v2',
    // One statement, so the version is the one of the hours and overrides read beside it.
    text: `SELECT
       (SELECT schedule_version::text FROM tenants WHERE id = $1) AS version,
       (SELECT json_agg(json_build_object('resourceId', resource_id, 'weekday', weekday,
                                          'opens', to_char(opens_at, 'HH24:MI'), 'closes', to_char(closes_at, 'HH24:MI')))
          FROM business_hours WHERE tenant_id = $1) AS hours,
       (SELECT json_agg(json_build_object('date', to_char(on_date, 'YYYY-MM-DD'), 'resourceId', resource_id,
                                          'opens', to_char(opens_at, 'HH24:MI'), 'closes', to_char(closes_at, 'HH24:MI')) ORDER BY on_date)
          FROM date_overrides WHERE tenant_id = $1 AND on_date >= ($2::timestamptz AT TIME ZONE $3)::date - 1) AS overrides`,
    values: [query.tenantId, query.now, query.timeZone],
  });
  return { hours: rows[0]!.hours ?? [], overrides: rows[0]!.overrides ?? [], version: rows[0]!.version };
}

/** The schedule's content as one string, to tell a refresh that changed nothing (a Map's entries as arrays). */
function fingerprintOf(schedule: TenantSchedule): string {
  return JSON.stringify([schedule.catalog, schedule.hours, schedule.externalBusy ? [...schedule.externalBusy] : null]);
}

/**
 * Lets availability from memory skip the database: settings, services, hours and overrides change
 * rarely (staff edit them), so like the catalog cache they are trusted for `ttlMs` on the
 * process's monotonic clock, and a change reaches readers within that plus one refresh. Nothing
 * exact depends on them: the hold re-checks hours itself. Refreshing in the background while the
 * old answer is served keeps a busy process from sending every request to the database at once
 * when an entry expires (under load, a refresh takes a while and requests pile up behind it).
 */
export function createHoursCache(ttlMs: number, monotonicNow: () => number = () => performance.now()): HoursCache {
  const entries = new Map<string, { schedule: TenantSchedule; fingerprint: string; loadedAt: number; refreshing: boolean }>();
  const loading = new Map<string, Promise<TenantSchedule>>();

  function loadOnce(tenantId: string, load: () => Promise<TenantSchedule>): Promise<TenantSchedule> {
    let inFlight = loading.get(tenantId);
    if (!inFlight) {
      const loadedAt = monotonicNow();
      inFlight = load()
        .then((loaded) => {
          const fingerprint = fingerprintOf(loaded);
          const previous = entries.get(tenantId);
          // A refresh that read what was there keeps the object: availability answers built from it
          // are reused by its identity (answer-cache.ts), and a second's refresh must not drop them.
          const schedule = previous?.fingerprint === fingerprint ? previous.schedule : loaded;
          // Bounded, as the catalog cache is: tenants come and go in a long-lived process.
          if (entries.size >= 10_000) entries.clear();
          entries.set(tenantId, { schedule, fingerprint, loadedAt, refreshing: false });
          return schedule;
        })
        .finally(() => loading.delete(tenantId));
      loading.set(tenantId, inFlight);
    }
    return inFlight;
  }

  /** The tenant's entry, refreshed in the background when older than `ttlMs`. */
  function entryOf(tenantId: string, load: () => Promise<TenantSchedule>) {
    const entry = entries.get(tenantId);
    if (entry && monotonicNow() - entry.loadedAt >= ttlMs && !entry.refreshing) {
      entry.refreshing = true;
      // A failed refresh forgets the tenant: the next read loads it and reports the error.
      loadOnce(tenantId, load).catch(() => {
        if (entries.get(tenantId) === entry) entries.delete(tenantId);
      });
    }
    return entry;
  }

  return {
    async read(tenantId, load) {
      if (ttlMs <= 0) return load();
      return entryOf(tenantId, load)?.schedule ?? loadOnce(tenantId, load);
    },
    peek(tenantId, load) {
      if (ttlMs <= 0) return undefined;
      const entry = entryOf(tenantId, load);
      // Nobody waits for this load; a failure leaves the tenant absent, and the next read reports it.
      if (!entry) loadOnce(tenantId, load).catch(() => undefined);
      return entry?.schedule;
    },
  };
}
