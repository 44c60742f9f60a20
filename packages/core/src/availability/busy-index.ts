import type { Pool, Queryable } from '../db/pool.js';
import type { Interval } from './compute-slots.js';

/**
 * Busy time per resource held in process memory, so availability does not read and ship every
 * claim of the window on each query (issue 15: availability from memory).
 *
 * Correct by construction, not by freshness: the index only decides which slots are *offered*. A
 * hold still decides inside Postgres under the resource's lock and the EXCLUDE constraint, so a
 * stale index can offer a slot that the hold then refuses; it can never double-book.
 *
 * Kept current from the domain-event notifications every change already writes. A notification
 * carries only the event id; the index reads the event (batched under load), takes the resource
 * and times it names (and, for a move, the previous ones) and re-reads that resource's claims in a
 * window around them. Re-reading current rows rather than replaying payloads makes the update independent of
 * order: Postgres hands out event ids before commit, so ids arrive out of order and gaps are
 * normal, and a late or repeated notification simply re-reads the same window. What the index
 * cannot see — a notification lost while the LISTEN connection was down — is handled by
 * `reset()` on reconnect (the caller's event hub says when), and by reloading each tenant at
 * least every `maxAgeMs` as a backstop.
 */
export interface BusyIndex {
  /**
   * Busy intervals per resource overlapping `range` at `now` (lapsed holds left out), sorted by
   * start. Loads the tenant on first use.
   */
  read(query: { tenantId: string; resourceIds: string[]; range: Interval; now: Date }): Promise<Map<string, Interval[]>>;
  /** A domain event of the tenant was committed: refresh what it touched (no-op for tenants not loaded). */
  notify(tenantId: string, eventId: number): Promise<void>;
  /** Notifications may have been missed (reconnect): every tenant reloads on next use. */
  reset(): void;
  /** Tenants held (for tests and metrics). */
  readonly tenantCount: number;
}

export interface BusyIndexOptions {
  /** Where notifications' events and claim windows are read (as the owner, by tenant id). */
  pool: Pool;
  /** Reload a tenant at least this often, whatever the notifications said (default 5 minutes). */
  maxAgeMs?: number;
  /** Monotonic milliseconds; tests pass their own. */
  monotonicNow?: () => number;
}

/** A claim as the index keeps it; `expiresAt` is set for holds, which stop counting once lapsed. */
interface Busy extends Interval {
  expiresAt: number | null;
}

interface TenantIndex {
  loadedAt: number;
  byResource: Map<string, Busy[]>;
  /** Events notified and not yet applied; drained in batches, one batch at a time, so an older read never overwrites a newer one. */
  pending: number[];
  /** The drain in progress, if any. */
  draining: Promise<void> | undefined;
}

/** Buffers are minutes to hours; a window this wide around an event's times covers its claim. */
const windowPadMs = 24 * 3_600_000;

interface ClaimRow {
  resourceId: string;
  start: number;
  end: number;
  expiresAt: number | null;
}

const claimColumns = `c.resource_id AS "resourceId", round(date_part('epoch', c.starts_at) * 1000)::float8 AS start,
  round(date_part('epoch', c.ends_at) * 1000)::float8 AS "end", round(date_part('epoch', h.expires_at) * 1000)::float8 AS "expiresAt"`;

/** Active claims that block: booked appointments, and holds (with their expiry) that are active. */
async function readClaims(client: Queryable, query: { tenantId: string; resourceId?: string; from: Date; to: Date }): Promise<ClaimRow[]> {
  const { rows } = await client.query<ClaimRow>({
    name: 'gomomo_busy_index_claims',
    text: `SELECT ${claimColumns}
             FROM claims c
             LEFT JOIN holds h ON h.claim_id = c.id AND h.status = 'active'
            WHERE c.tenant_id = $1 AND c.is_active AND ($2::uuid IS NULL OR c.resource_id = $2)
              AND c.starts_at < $4 AND c.ends_at > $3
            ORDER BY c.resource_id, c.starts_at`,
    values: [query.tenantId, query.resourceId ?? null, query.from, query.to],
  });
  return rows;
}

function toBusy(row: ClaimRow): Busy {
  return { start: row.start, end: row.end, expiresAt: row.expiresAt };
}

/** First index whose interval ends after `at` (intervals never overlap, so ends are sorted too). */
function firstEndingAfter(list: Busy[], at: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (list[mid]!.end <= at) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Replaces the intervals of `list` overlapping [from, to) with `fresh` (sorted, inside the window). */
function splice(list: Busy[], window: Interval, fresh: Busy[]): Busy[] {
  const first = firstEndingAfter(list, window.start);
  let last = first;
  while (last < list.length && list[last]!.start < window.end) last++;
  return [...list.slice(0, first), ...fresh, ...list.slice(last)];
}

/** The resource and times an event names, and for a move the ones it left. */
function touchedWindows(payload: Record<string, unknown>): { resourceId: string; from: number; to: number }[] {
  const windows: { resourceId: string; from: number; to: number }[] = [];
  const add = (part: unknown) => {
    const p = part as { resourceId?: unknown; start?: unknown; end?: unknown } | null;
    if (!p || typeof p.resourceId !== 'string' || typeof p.start !== 'string') return;
    const start = Date.parse(p.start);
    const end = typeof p.end === 'string' ? Date.parse(p.end) : start;
    if (Number.isFinite(start) && Number.isFinite(end)) windows.push({ resourceId: p.resourceId, from: start - windowPadMs, to: end + windowPadMs });
  };
  add(payload);
  add(payload.previous);
  return windows;
}

/** Creates an empty index; tenants load on first `read`. */
export function createBusyIndex(options: BusyIndexOptions): BusyIndex {
  const maxAgeMs = options.maxAgeMs ?? 300_000;
  const monotonicNow = options.monotonicNow ?? (() => performance.now());
  const tenants = new Map<string, TenantIndex>();
  /** Loads in flight, with the windows notified meanwhile (applied once the load is in). */
  const loading = new Map<string, { done: Promise<TenantIndex>; pending: number[] }>();
  let generation = 0;

  // Loaded through the pool, not the caller's transaction: its snapshot may predate a change whose
  // notification came before the load began, which would then be lost. A fresh snapshot taken
  // after `loading` is registered sees every change notified before, and parks the rest.
  async function load(tenantId: string, now: Date): Promise<TenantIndex> {
    const inFlight = loading.get(tenantId);
    if (inFlight) return inFlight.done;
    const pending: number[] = [];
    const started = generation;
    const done = (async () => {
      const loadedAt = monotonicNow();
      // Claims that ended before yesterday can never matter to availability again.
      const rows = await readClaims(options.pool, { tenantId, from: new Date(now.getTime() - windowPadMs), to: new Date('9999-12-31T00:00:00Z') });
      const byResource = new Map<string, Busy[]>();
      for (const row of rows) {
        const list = byResource.get(row.resourceId);
        if (list) list.push(toBusy(row));
        else byResource.set(row.resourceId, [toBusy(row)]);
      }
      const index: TenantIndex = { loadedAt, byResource, pending: [], draining: undefined };
      // A reset during the load means this read may predate a missed change: use it once, keep nothing.
      if (generation === started) tenants.set(tenantId, index);
      return index;
    })();
    loading.set(tenantId, { done, pending });
    try {
      const index = await done;
      if (pending.length > 0) void enqueueRefresh(tenantId, index, pending);
      return index;
    } finally {
      loading.delete(tenantId);
    }
  }

  /**
   * Applies a batch: one read of the events (as the owner, by tenant id: the notification named
   * the tenant), then one read of claims per window they touch. Under load, notifications that
   * arrive while a batch runs are taken together in the next one.
   */
  async function refresh(tenantId: string, index: TenantIndex, eventIds: number[]): Promise<void> {
    const { rows } = await options.pool.query<{ payload: Record<string, unknown> }>({
      name: 'gomomo_busy_index_events',
      text: 'SELECT payload FROM domain_events WHERE tenant_id = $1 AND id = ANY($2::bigint[])',
      values: [tenantId, eventIds],
    });
    for (const window of rows.flatMap((row) => touchedWindows(row.payload))) {
      const claims = await readClaims(options.pool, { tenantId, resourceId: window.resourceId, from: new Date(window.from), to: new Date(window.to) });
      const list = index.byResource.get(window.resourceId) ?? [];
      index.byResource.set(window.resourceId, splice(list, { start: window.from, end: window.to }, claims.map(toBusy)));
    }
  }

  /** Resolves once every event queued so far, `eventIds` included, has been applied. */
  function enqueueRefresh(tenantId: string, index: TenantIndex, eventIds: number[]): Promise<void> {
    index.pending.push(...eventIds);
    index.draining ??= (async () => {
      try {
        while (index.pending.length > 0) await refresh(tenantId, index, index.pending.splice(0));
      } catch {
        // A failed refresh leaves the tenant unknown: drop it, the next read reloads it.
        if (tenants.get(tenantId) === index) tenants.delete(tenantId);
        index.pending.length = 0;
      } finally {
        index.draining = undefined;
      }
    })();
    return index.draining;
  }

  return {
    async read(query) {
      let index = tenants.get(query.tenantId);
      if (index && monotonicNow() - index.loadedAt >= maxAgeMs) {
        tenants.delete(query.tenantId);
        index = undefined;
      }
      index ??= await load(query.tenantId, query.now);
      const now = query.now.getTime();
      const busy = new Map<string, Interval[]>();
      for (const resourceId of query.resourceIds) {
        const list = index.byResource.get(resourceId) ?? [];
        const out: Interval[] = [];
        for (let i = firstEndingAfter(list, query.range.start); i < list.length && list[i]!.start < query.range.end; i++) {
          const b = list[i]!;
          if (b.expiresAt === null || b.expiresAt > now) out.push({ start: b.start, end: b.end });
        }
        busy.set(resourceId, out);
      }
      return busy;
    },
    notify(tenantId, eventId) {
      const inFlight = loading.get(tenantId);
      if (inFlight) {
        inFlight.pending.push(eventId);
        return Promise.resolve();
      }
      const index = tenants.get(tenantId);
      return index ? enqueueRefresh(tenantId, index, [eventId]) : Promise.resolve();
    },
    reset() {
      generation++;
      tenants.clear();
    },
    get tenantCount() {
      return tenants.size;
    },
  };
}
