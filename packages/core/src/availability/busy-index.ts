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
 * `reset()` on reconnect (the caller's event hub says when), by a gap check (event ids are one
 * sequence across tenants: an id skipped by the notifications that turns out to be committed means
 * a lost notification, and its tenant reloads in full), and by reloading each tenant at least every
 * `maxAgeMs` as a backstop.
 *
 * Busy time comes from pluggable sources (`BusySource`): claims (booked appointments and live
 * holds) by default; another source, such as a connected calendar's busy blocks, joins by being
 * listed in `sources`.
 */
export interface BusyIndex {
  /**
   * Busy intervals per resource overlapping `range` at `now` (lapsed holds left out), sorted by
   * start. Loads the tenant on first use.
   */
  read(query: { tenantId: string; resourceIds: string[]; range: Interval; now: Date }): Promise<Map<string, Interval[]>>;
  /**
   * The earliest instant after `now` (epoch ms) at which `read` of the same query would answer
   * differently by itself, because a hold it counts lapses; Infinity when none will, or the tenant
   * is not loaded. Events change `versionOf` instead.
   */
  nextLapse(query: { tenantId: string; resourceIds: string[]; range: Interval; now: Date }): number;
  /** A domain event of the tenant was committed: refresh what it touched (no-op for tenants not loaded). */
  notify(tenantId: string, eventId: number): Promise<void>;
  /** Notifications may have been missed (reconnect): every tenant reloads on next use. */
  reset(): void;
  /**
   * Changes whenever what `read` would answer for the tenant may change (a load, an applied
   * event); undefined when the tenant is not loaded. Lets callers reuse answers built from it.
   */
  versionOf(tenantId: string): number | undefined;
  /** Tenants held (for tests and metrics). */
  readonly tenantCount: number;
}

/** A busy interval of one resource as a source reads it; `expiresAt` (epoch ms) is set for what stops counting by itself, like a hold. */
export interface BusyRow {
  resourceId: string;
  start: number;
  end: number;
  expiresAt: number | null;
}

/** What a notified domain event changed for a source: one resource's busy time in [from, to). */
export interface BusyWindow {
  resourceId: string;
  from: number;
  to: number;
}

/**
 * One kind of busy time the index holds. A source reads its rows as the owner by tenant id (the
 * caller's tenant scope is not involved: the index serves every request of the process), and says
 * which windows a committed domain event touched, which the index then re-reads from it.
 */
export interface BusySource {
  /** A name for errors and metrics, e.g. "claims". */
  readonly name: string;
  /**
   * The tenant's busy rows overlapping [from, to), one resource if given, sorted by resource then
   * start; within a resource they must not overlap (merge them first if the source can).
   */
  read(pool: Pool, query: { tenantId: string; resourceId?: string; from: Date; to: Date }): Promise<BusyRow[]>;
  /** The windows a committed event touched; nothing for events the source does not care about. */
  touched(event: { type: string; payload: Record<string, unknown> }): BusyWindow[];
}

export interface BusyIndexOptions {
  /** Where notifications' events and claim windows are read (as the owner, by tenant id). */
  pool: Pool;
  /** Reload a tenant at least this often, whatever the notifications said (default 5 minutes). */
  maxAgeMs?: number;
  /** Monotonic milliseconds; tests pass their own. */
  monotonicNow?: () => number;
  /** Where busy time comes from (default `[claimsSource]`). */
  sources?: BusySource[];
  /**
   * How long a skipped event id may stay unnotified before it is looked up (default 250 ms):
   * transactions commit out of id order, so a gap usually fills by itself.
   */
  gapGraceMs?: number;
}

/** A claim as the index keeps it; `expiresAt` is set for holds, which stop counting once lapsed. */
interface Busy extends Interval {
  expiresAt: number | null;
}

interface TenantIndex {
  loadedAt: number;
  /** From one counter for the whole index, so a reloaded tenant never repeats an earlier version. */
  version: number;
  /** Per source (in `sources` order), the busy time of each resource sorted by start. */
  bySource: Map<string, Busy[]>[];
  /** Events notified and not yet applied; drained in batches, one batch at a time, so an older read never overwrites a newer one. */
  pending: number[];
  /** The drain in progress, if any. */
  draining: Promise<void> | undefined;
}

/** Buffers are minutes to hours; a window this wide around an event's times covers its claim. */
const windowPadMs = 24 * 3_600_000;

const claimColumns = `c.resource_id AS "resourceId", round(date_part('epoch', c.starts_at) * 1000)::float8 AS start,
  round(date_part('epoch', c.ends_at) * 1000)::float8 AS "end", round(date_part('epoch', h.expires_at) * 1000)::float8 AS "expiresAt"`;

/** Active claims that block: booked appointments, and holds (with their expiry) that are active. */
async function readClaims(client: Queryable, query: { tenantId: string; resourceId?: string; from: Date; to: Date }): Promise<BusyRow[]> {
  const { rows } = await client.query<BusyRow>({
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

/**
 * Booked appointments and live holds, from `claims`: every booking change writes a domain event
 * naming the resource and times it touched (and, for a move, the ones it left).
 */
export const claimsSource: BusySource = {
  name: 'claims',
  read: (pool, query) => readClaims(pool, query),
  touched: (event) => touchedWindows(event.payload),
};

function toBusy(row: BusyRow): Busy {
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
function touchedWindows(payload: Record<string, unknown>): BusyWindow[] {
  const windows: BusyWindow[] = [];
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

/** Appends `row` to its resource's list in `lists` (rows arrive sorted by resource, then start). */
function addRow(lists: Map<string, Busy[]>, row: BusyRow): void {
  const list = lists.get(row.resourceId);
  if (list) list.push(toBusy(row));
  else lists.set(row.resourceId, [toBusy(row)]);
}

/** The intervals of `list` overlapping `range` that still count at `now`, appended to `out`. */
function collect(list: Busy[], at: { range: Interval; now: number }, out: Interval[]): void {
  const { range, now } = at;
  for (let i = firstEndingAfter(list, range.start); i < list.length && list[i]!.start < range.end; i++) {
    const b = list[i]!;
    if (b.expiresAt === null || b.expiresAt > now) out.push({ start: b.start, end: b.end });
  }
}

/** The earliest expiry after `now` of the intervals of `list` overlapping `range`, or `next` if sooner. */
function earliestLapse(list: Busy[], at: { range: Interval; now: number }, next: number): number {
  const { range, now } = at;
  for (let i = firstEndingAfter(list, range.start); i < list.length && list[i]!.start < range.end; i++) {
    const expiresAt = list[i]!.expiresAt;
    if (expiresAt !== null && expiresAt > now && expiresAt < next) next = expiresAt;
  }
  return next;
}

/** Sorts by start and unites overlapping intervals, so busy time from several sources reads as one sorted, disjoint list. */
function unite(intervals: Interval[]): Interval[] {
  intervals.sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const interval of intervals) {
    const last = out[out.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else out.push({ start: interval.start, end: interval.end });
  }
  return out;
}

/** Event ids skipped by the notifications that the gap check follows up at most; past it, everything reloads. */
const maxGapIds = 10_000;

/** Creates an empty index; tenants load on first `read`. */
export function createBusyIndex(options: BusyIndexOptions): BusyIndex {
  const maxAgeMs = options.maxAgeMs ?? 300_000;
  const monotonicNow = options.monotonicNow ?? (() => performance.now());
  const sources = options.sources ?? [claimsSource];
  const gapGraceMs = options.gapGraceMs ?? 250;
  const tenants = new Map<string, TenantIndex>();
  /** Loads in flight, with the events notified meanwhile (applied once the load is in). */
  const loading = new Map<string, { done: Promise<TenantIndex>; pending: number[]; isStale: boolean }>();
  let generation = 0;
  let versions = 0;
  /** The highest event id notified, and ids below it not notified yet (see `checkGaps`). */
  let highestId = 0;
  const unnotified = new Set<number>();
  let gapCheck: Promise<void> | undefined;

  // Loaded through the pool, not the caller's transaction: its snapshot may predate a change whose
  // notification came before the load began, which would then be lost. A fresh snapshot taken
  // after `loading` is registered sees every change notified before, and parks the rest.
  async function load(tenantId: string, now: Date): Promise<TenantIndex> {
    const inFlight = loading.get(tenantId);
    if (inFlight) return inFlight.done;
    const entry = { done: undefined as unknown as Promise<TenantIndex>, pending: [] as number[], isStale: false };
    const started = generation;
    entry.done = (async () => {
      const loadedAt = monotonicNow();
      // Busy time that ended before yesterday can never matter to availability again.
      const range = { tenantId, from: new Date(now.getTime() - windowPadMs), to: new Date('9999-12-31T00:00:00Z') };
      const bySource = await Promise.all(
        sources.map(async (source) => {
          const lists = new Map<string, Busy[]>();
          for (const row of await source.read(options.pool, range)) addRow(lists, row);
          return lists;
        }),
      );
      const index: TenantIndex = { loadedAt, version: ++versions, bySource, pending: [], draining: undefined };
      // A reset or a lost notification during the load means this read may predate a missed change: use it once, keep nothing.
      if (generation === started && !entry.isStale) tenants.set(tenantId, index);
      return index;
    })();
    loading.set(tenantId, entry);
    try {
      const index = await entry.done;
      if (entry.pending.length > 0) void enqueueRefresh(tenantId, index, entry.pending);
      return index;
    } finally {
      loading.delete(tenantId);
    }
  }

  /** Forgets a tenant (and a load in flight) so its next read loads it in full. */
  function drop(tenantId: string): void {
    tenants.delete(tenantId);
    const inFlight = loading.get(tenantId);
    if (inFlight) inFlight.isStale = true;
  }

  /**
   * Applies a batch: one read of the events (as the owner, by tenant id: the notification named
   * the tenant), then one read per window they touch in each source. Under load, notifications
   * that arrive while a batch runs are taken together in the next one.
   */
  async function refresh(tenantId: string, index: TenantIndex, eventIds: number[]): Promise<void> {
    const { rows } = await options.pool.query<{ type: string; payload: Record<string, unknown> }>({
      name: 'gomomo_busy_index_events',
      text: 'SELECT type, payload FROM domain_events WHERE tenant_id = $1 AND id = ANY($2::bigint[])',
      values: [tenantId, eventIds],
    });
    for (const [position, source] of sources.entries()) {
      const lists = index.bySource[position]!;
      for (const window of rows.flatMap((row) => source.touched(row))) {
        const fresh = await source.read(options.pool, { tenantId, resourceId: window.resourceId, from: new Date(window.from), to: new Date(window.to) });
        lists.set(window.resourceId, splice(lists.get(window.resourceId) ?? [], { start: window.from, end: window.to }, fresh.map(toBusy)));
        index.version = ++versions;
      }
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

  /**
   * Event ids come from one sequence for all tenants and every notification reaches the index, so
   * an id below the highest one notified is either still uncommitted (its notification will come),
   * rolled back (it never will, and nothing changed), or committed with its notification lost. After
   * a grace period the skipped ids are looked up: one that exists belongs to a tenant whose index
   * missed a change, and that tenant reloads in full.
   */
  function noteId(eventId: number): Promise<void> {
    unnotified.delete(eventId);
    if (highestId > 0 && eventId > highestId + 1) {
      if (eventId - highestId > maxGapIds) {
        index.reset();
      } else {
        for (let id = highestId + 1; id < eventId; id++) unnotified.add(id);
      }
    }
    highestId = Math.max(highestId, eventId);
    if (unnotified.size === 0) return Promise.resolve();
    gapCheck ??= (async () => {
      try {
        if (gapGraceMs > 0) await new Promise((resolve) => setTimeout(resolve, gapGraceMs));
        const ids = [...unnotified];
        unnotified.clear();
        const { rows } = await options.pool.query<{ tenantId: string }>({
          name: 'gomomo_busy_index_gaps',
          text: 'SELECT DISTINCT tenant_id AS "tenantId" FROM domain_events WHERE id = ANY($1::bigint[])',
          values: [ids],
        });
        for (const { tenantId } of rows) drop(tenantId);
      } catch {
        // The check itself failed: nothing says which tenant missed what, so all of them reload.
        index.reset();
      } finally {
        gapCheck = undefined;
      }
    })();
    return gapCheck;
  }

  const index: BusyIndex = {
    async read(query) {
      let tenant = tenants.get(query.tenantId);
      if (tenant && monotonicNow() - tenant.loadedAt >= maxAgeMs) {
        tenants.delete(query.tenantId);
        tenant = undefined;
      }
      tenant ??= await load(query.tenantId, query.now);
      const at = { range: query.range, now: query.now.getTime() };
      const busy = new Map<string, Interval[]>();
      for (const resourceId of query.resourceIds) {
        const out: Interval[] = [];
        let contributing = 0;
        for (const lists of tenant.bySource) {
          const list = lists.get(resourceId);
          if (!list || list.length === 0) continue;
          const before = out.length;
          collect(list, at, out);
          if (out.length > before) contributing++;
        }
        busy.set(resourceId, contributing > 1 ? unite(out) : out);
      }
      return busy;
    },
    nextLapse(query) {
      const tenant = tenants.get(query.tenantId);
      if (!tenant) return Infinity;
      const at = { range: query.range, now: query.now.getTime() };
      let next = Infinity;
      for (const resourceId of query.resourceIds) {
        for (const lists of tenant.bySource) {
          const list = lists.get(resourceId);
          if (list) next = earliestLapse(list, at, next);
        }
      }
      return next;
    },
    notify(tenantId, eventId) {
      const checked = noteId(eventId);
      const inFlight = loading.get(tenantId);
      if (inFlight) {
        inFlight.pending.push(eventId);
        return checked;
      }
      const tenant = tenants.get(tenantId);
      return tenant ? Promise.all([checked, enqueueRefresh(tenantId, tenant, [eventId])]).then(() => undefined) : checked;
    },
    reset() {
      generation++;
      tenants.clear();
      unnotified.clear();
    },
    versionOf(tenantId) {
      const tenant = tenants.get(tenantId);
      return tenant && monotonicNow() - tenant.loadedAt < maxAgeMs ? tenant.version : undefined;
    },
    get tenantCount() {
      return tenants.size;
    },
  };
  return index;
}
