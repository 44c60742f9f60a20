import { clearExternalBusy, deleteSecret, readResourceCalendarContext, readSecret, replaceExternalBusy, withTenant, writeSecret, type Keyring, type Pool, type Queryable } from '@gomomo/core';
import { ChannelError } from '../../errors.js';
import { expandIcsBusy } from './busy-from-ics.js';
import { checkIcsUrl, fetchIcs } from './fetch-ics.js';

/** An outside ICS feed whose events are busy time for a resource. The URL itself is never shown: it may carry a secret. */
export interface IcsImport {
  id: string;
  tenantId: string;
  resourceId: string;
  host: string;
  fetchedAt: Date | null;
  succeededAt: Date | null;
  failingSince: Date | null;
  lastError: string;
}

export interface IcsImportDeps {
  pool: Pool;
  keyring: Keyring;
  /** Development and tests only: lets a feed URL reach this host (see `fetchIcs`). */
  allowLoopback: boolean;
  /** How often a feed is fetched (default 15 minutes). */
  refreshIntervalMs?: number | undefined;
  /** How long a failing feed's last good busy time is kept before it is dropped and staff are told (default 24 hours). */
  keepLastGoodMs?: number | undefined;
  /** Largest feed accepted (default 5 MB). */
  maxBytes?: number | undefined;
  timeoutMs?: number | undefined;
}

const columns = `id, tenant_id AS "tenantId", resource_id AS "resourceId", host, fetched_at AS "fetchedAt", succeeded_at AS "succeededAt",
  failing_since AS "failingSince", last_error AS "lastError"`;

/** Feeds per business at most: each is a fetch every interval, and the worker fetches them one by one. */
const maxFeedsPerTenant = 50;

/** Where a feed's URL is kept in the secrets store. */
function secretNameOf(importId: string): string {
  return `ics:${importId}`;
}

/** The external-busy source of a feed (one per feed, so removing it clears exactly its blocks). */
export function icsBusySourceOf(importId: string): string {
  return `ics:${importId}`;
}

/** Registers a feed for a resource; the worker's next run fetches it. The URL is stored encrypted. */
export async function addIcsImport(deps: Pick<IcsImportDeps, 'pool' | 'keyring' | 'allowLoopback'>, input: { tenantId: string; resourceId: string; url: string }): Promise<IcsImport> {
  const url = checkIcsUrl(input.url, deps);
  if (input.url.length > 2048) throw new ChannelError('VALIDATION', 'url: must be at most 2048 characters', { field: 'url' });
  return withTenant(deps.pool, input.tenantId, async (client) => {
    if (!(await readResourceCalendarContext(client, input))) throw new ChannelError('VALIDATION', 'resourceId: this business has no such resource', { field: 'resourceId' });
    const { rows: counted } = await client.query<{ feeds: number }>('SELECT count(*)::int AS feeds FROM ics_imports WHERE tenant_id = $1', [input.tenantId]);
    if (counted[0]!.feeds >= maxFeedsPerTenant) throw new ChannelError('VALIDATION', `url: this business already has ${maxFeedsPerTenant} ICS feeds; remove one first`, { field: 'url' });
    const { rows } = await client.query<IcsImport>(`INSERT INTO ics_imports (tenant_id, resource_id, host) VALUES ($1, $2, $3) RETURNING ${columns}`, [input.tenantId, input.resourceId, url.host]);
    const created = rows[0]!;
    await writeSecret(client, deps.keyring, { tenantId: input.tenantId, name: secretNameOf(created.id), value: url.toString() });
    return created;
  });
}

export async function listIcsImports(pool: Pool, tenantId: string): Promise<IcsImport[]> {
  return withTenant(pool, tenantId, async (client) => (await client.query<IcsImport>(`SELECT ${columns} FROM ics_imports WHERE tenant_id = $1 ORDER BY created_at, id`, [tenantId])).rows);
}

/** Forgets a feed, its stored URL and its busy time, in one transaction. False when there was no such feed. */
export async function removeIcsImport(pool: Pool, input: { tenantId: string; importId: string }): Promise<boolean> {
  return withTenant(pool, input.tenantId, async (client) => {
    const { rows } = await client.query<{ resourceId: string }>('DELETE FROM ics_imports WHERE tenant_id = $1 AND id = $2 RETURNING resource_id AS "resourceId"', [input.tenantId, input.importId]);
    const removed = rows[0];
    if (!removed) return false;
    await deleteSecret(client, { tenantId: input.tenantId, name: secretNameOf(input.importId) });
    await clearExternalBusy(client, { tenantId: input.tenantId, resourceId: removed.resourceId, source: icsBusySourceOf(input.importId) });
    return true;
  });
}

export type IcsRefreshOutcome =
  | { outcome: 'synced'; busy: number }
  | { outcome: 'not-modified' }
  | { outcome: 'failing'; error: string; keptUntil: Date }
  | { outcome: 'gave-up'; tenantId: string; resourceId: string; reason: string }
  | { outcome: 'skipped'; reason: string };

interface ImportState {
  id: string;
  tenantId: string;
  resourceId: string;
  host: string;
  etag: string | null;
  lastModified: string | null;
  expandedUntil: Date | null;
  failingSince: Date | null;
  escalatedAt: Date | null;
}

const dayMs = 86_400_000;

/**
 * Fetches one feed and replaces its busy time with what it now says, over the booking horizon
 * (from a day ago to the tenant's lookahead, with a week's margin so a 304 keeps serving). A failure
 * keeps the last good busy time for `keepLastGoodMs`; past that the busy time is dropped (it may
 * no longer be true) and the outcome `gave-up` tells the caller to escalate — once per failure spell.
 */
export async function refreshIcsImport(deps: IcsImportDeps, input: { tenantId: string; importId: string; now: Date }): Promise<IcsRefreshOutcome> {
  const state = await withTenant(deps.pool, input.tenantId, (client) => readState(client, input));
  if (!state) return { outcome: 'skipped', reason: 'no such feed' };
  try {
    return await fetchAndStore(deps, { state, now: input.now });
  } catch (error) {
    // Any failure — the fetch, the parse, a stored URL no configured key can open — counts against
    // the feed, so it is retried at the next interval rather than at once, and escalated in time.
    return recordFailure(deps, { state, error, now: input.now });
  }
}

async function fetchAndStore(deps: IcsImportDeps, input: { state: ImportState; now: Date }): Promise<IcsRefreshOutcome> {
  const { state } = input;
  const { url, context } = await withTenant(deps.pool, state.tenantId, async (client) => ({
    url: await readSecret(client, deps.keyring, { tenantId: state.tenantId, name: secretNameOf(state.id) }),
    context: await readResourceCalendarContext(client, state),
  }));
  if (!url || !context) throw new ChannelError('CONFIGURATION', 'ICS feed: its stored URL is missing; remove the feed and add it again');
  const now = input.now.getTime();
  const horizon = new Date(now + (context.lookaheadDays + 1) * dayMs);
  // The stored blocks stop at `expanded_until`: once the horizon passes it, a 304 is not enough.
  const isExpandedFarEnough = state.expandedUntil !== null && state.expandedUntil.getTime() >= horizon.getTime();
  const fetched = await fetchIcs(url, { ...deps, ...(isExpandedFarEnough ? { etag: state.etag, lastModified: state.lastModified } : {}) });
  if (fetched.status === 'not-modified') {
    await withTenant(deps.pool, state.tenantId, (client) => recordSuccess(client, { state, at: input.now }));
    return { outcome: 'not-modified' };
  }
  const expandedUntil = new Date(horizon.getTime() + 7 * dayMs);
  const blocks = expandIcsBusy(fetched.body, { from: new Date(now - dayMs), to: expandedUntil, zone: context.timeZone });
  await withTenant(deps.pool, state.tenantId, async (client) => {
    await replaceExternalBusy(client, { tenantId: state.tenantId, resourceId: state.resourceId, source: icsBusySourceOf(state.id) }, blocks);
    await recordSuccess(client, { state, at: input.now, validators: { etag: fetched.etag, lastModified: fetched.lastModified, expandedUntil } });
  });
  return { outcome: 'synced', busy: blocks.length };
}

async function readState(client: Queryable, input: { tenantId: string; importId: string }): Promise<ImportState | null> {
  const { rows } = await client.query<ImportState>(
    `SELECT id, tenant_id AS "tenantId", resource_id AS "resourceId", host, etag, last_modified AS "lastModified", expanded_until AS "expandedUntil",
            failing_since AS "failingSince", escalated_at AS "escalatedAt"
       FROM ics_imports WHERE tenant_id = $1 AND id = $2`,
    [input.tenantId, input.importId],
  );
  return rows[0] ?? null;
}

async function recordSuccess(client: Queryable, input: { state: ImportState; at: Date; validators?: { etag: string | null; lastModified: string | null; expandedUntil: Date } }): Promise<void> {
  const { state, validators } = input;
  await client.query(
    `UPDATE ics_imports SET fetched_at = $3, succeeded_at = $3, failing_since = NULL, escalated_at = NULL, last_error = '',
            etag = CASE WHEN $4 THEN $5 ELSE etag END, last_modified = CASE WHEN $4 THEN $6 ELSE last_modified END,
            expanded_until = CASE WHEN $4 THEN $7 ELSE expanded_until END
      WHERE tenant_id = $1 AND id = $2`,
    [state.tenantId, state.id, input.at, validators !== undefined, validators?.etag ?? null, validators?.lastModified ?? null, validators?.expandedUntil ?? null],
  );
}

async function recordFailure(deps: IcsImportDeps, input: { state: ImportState; error: unknown; now: Date }): Promise<IcsRefreshOutcome> {
  const { state, now } = input;
  const message = input.error instanceof Error ? input.error.message : String(input.error);
  const failingSince = state.failingSince ?? now;
  const keptUntil = new Date(failingSince.getTime() + (deps.keepLastGoodMs ?? dayMs));
  const isGivingUp = now.getTime() >= keptUntil.getTime() && state.escalatedAt === null;
  await withTenant(deps.pool, state.tenantId, async (client) => {
    await client.query(
      // Giving up drops the blocks, so the validators go too: the next good answer must be a full one, not a 304.
      `UPDATE ics_imports SET fetched_at = $3, failing_since = $4, last_error = $5, escalated_at = CASE WHEN $6 THEN $3 ELSE escalated_at END,
              etag = CASE WHEN $6 THEN NULL ELSE etag END, last_modified = CASE WHEN $6 THEN NULL ELSE last_modified END,
              expanded_until = CASE WHEN $6 THEN NULL ELSE expanded_until END
        WHERE tenant_id = $1 AND id = $2`,
      [state.tenantId, state.id, now, failingSince, message.slice(0, 1000), isGivingUp],
    );
    if (isGivingUp) await clearExternalBusy(client, { tenantId: state.tenantId, resourceId: state.resourceId, source: icsBusySourceOf(state.id) });
  });
  if (isGivingUp) return { outcome: 'gave-up', tenantId: state.tenantId, resourceId: state.resourceId, reason: `the ICS feed at ${state.host} has failed since ${failingSince.toISOString()}: ${message.slice(0, 300)}` };
  return { outcome: 'failing', error: message, keptUntil };
}

/** Feeds due for a fetch (never fetched first), as the owner (all tenants). */
export async function listDueIcsImports(pool: Pool, input: { before: Date; limit: number }): Promise<{ tenantId: string; importId: string }[]> {
  const { rows } = await pool.query<{ tenantId: string; importId: string }>(
    `SELECT tenant_id AS "tenantId", id AS "importId" FROM ics_imports WHERE fetched_at IS NULL OR fetched_at < $1 ORDER BY fetched_at NULLS FIRST LIMIT $2`,
    [input.before, input.limit],
  );
  return rows;
}

/**
 * The worker's run: every feed not fetched within the refresh interval is fetched (sequentially:
 * a handful of small files a minute). Returns the feeds that failed past `keepLastGoodMs`, for staff.
 */
export async function refreshDueIcsImports(
  deps: IcsImportDeps & { batchSize?: number | undefined; onError?: ((error: unknown, feed: { tenantId: string; importId: string }) => void) | undefined },
  now: Date,
): Promise<{ tenantId: string; resourceId: string; reason: string }[]> {
  const due = await listDueIcsImports(deps.pool, { before: new Date(now.getTime() - (deps.refreshIntervalMs ?? 15 * 60_000)), limit: deps.batchSize ?? 50 });
  const gaveUp: { tenantId: string; resourceId: string; reason: string }[] = [];
  for (const feed of due) {
    try {
      const result = await refreshIcsImport(deps, { ...feed, now });
      if (result.outcome === 'gave-up') gaveUp.push({ tenantId: result.tenantId, resourceId: result.resourceId, reason: result.reason });
    } catch (error) {
      // Only the database can fail here (a feed's own failures are recorded on it): the next run retries.
      deps.onError?.(error, feed);
    }
  }
  return gaveUp;
}
