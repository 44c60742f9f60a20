import type { Queryable } from '../db/pool.js';
import { BookingError } from '../errors.js';

/**
 * Busy time from outside the engine — a connected Google or Microsoft calendar, an ICS feed — kept
 * per resource and source (`google:<connection>`, `ics:<feed>`). Availability merges it with the
 * claims, and a booking checks it again when it claims: the hold inside its claim statement
 * (`gomomo_hold_claim_v3`, migrations 0011 and 0106), a move with `isExternallyBusy`. Every function here runs
 * in the caller's tenant transaction.
 */
export interface ExternalBusyBlock {
  /** The source's own id for the event (unique within the source and resource). */
  externalId: string;
  start: Date;
  end: Date;
}

export interface ExternalBusyTarget {
  tenantId: string;
  resourceId: string;
  /** Who wrote these blocks: `google:<id>`, `microsoft:<id>`, `ics:<id>`. */
  source: string;
}

const sourcePattern = /^[a-z0-9][a-z0-9:._-]{0,199}$/;

function checked(target: ExternalBusyTarget, blocks: ExternalBusyBlock[]): ExternalBusyBlock[] {
  if (!sourcePattern.test(target.source)) throw new BookingError('VALIDATION', 'source: 1-200 lowercase letters, digits, ":", ".", "_" or "-"', { field: 'source' });
  for (const block of blocks) {
    if (!(block.end.getTime() > block.start.getTime())) throw new BookingError('VALIDATION', `blocks: event ${block.externalId.slice(0, 80)} must end after it starts`, { field: 'blocks' });
    if (block.externalId.length < 1 || block.externalId.length > 1024) throw new BookingError('VALIDATION', 'blocks: externalId must be 1-1024 characters', { field: 'blocks' });
  }
  return blocks;
}

/** Adds or moves blocks of one source (an incremental sync's changed events). */
export async function upsertExternalBusy(client: Queryable, target: ExternalBusyTarget, blocks: ExternalBusyBlock[]): Promise<void> {
  if (checked(target, blocks).length === 0) return;
  await client.query(
    `INSERT INTO external_busy (tenant_id, resource_id, source, external_id, starts_at, ends_at)
     SELECT $1, $2, $3, b.external_id, b.starts_at, b.ends_at
       FROM unnest($4::text[], $5::timestamptz[], $6::timestamptz[]) AS b (external_id, starts_at, ends_at)
     ON CONFLICT (tenant_id, resource_id, source, external_id) DO UPDATE SET starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at`,
    [target.tenantId, target.resourceId, target.source, blocks.map((b) => b.externalId), blocks.map((b) => b.start), blocks.map((b) => b.end)],
  );
}

/** Drops blocks of one source by their ids (cancelled, declined or now transparent events). */
export async function removeExternalBusy(client: Queryable, target: ExternalBusyTarget, externalIds: string[]): Promise<void> {
  if (externalIds.length === 0) return;
  await client.query('DELETE FROM external_busy WHERE tenant_id = $1 AND resource_id = $2 AND source = $3 AND external_id = ANY($4::text[])', [
    target.tenantId,
    target.resourceId,
    target.source,
    externalIds,
  ]);
}

/**
 * Replaces everything one source said about a resource with `blocks` (a full resync, a fetched ICS
 * feed). One transaction with the caller's: availability never sees the source half-replaced.
 */
export async function replaceExternalBusy(client: Queryable, target: ExternalBusyTarget, blocks: ExternalBusyBlock[]): Promise<void> {
  checked(target, blocks);
  await clearExternalBusy(client, target);
  // A feed may list one id twice (a recurring event's instances share a UID): the last one wins.
  const unique = [...new Map(blocks.map((b) => [b.externalId, b])).values()];
  await upsertExternalBusy(client, target, unique);
}

/** Forgets a source's blocks for a resource (a disconnected or revoked calendar: back to database-only). */
export async function clearExternalBusy(client: Queryable, target: ExternalBusyTarget): Promise<number> {
  const { rowCount } = await client.query('DELETE FROM external_busy WHERE tenant_id = $1 AND resource_id = $2 AND source = $3', [target.tenantId, target.resourceId, target.source]);
  return rowCount ?? 0;
}

/**
 * True when any external block of the resource overlaps [from, to): the hold's check inside its
 * transaction, after the resource's lock, so a block synced since availability was read refuses
 * the slot (issue 18: "checked again inside the booking transaction").
 */
export async function isExternallyBusy(client: Queryable, span: { tenantId: string; resourceId: string; from: Date; to: Date }): Promise<boolean> {
  const { rows } = await client.query<{ busy: boolean }>({
    name: 'gomomo_external_busy_exists',
    text: 'SELECT EXISTS (SELECT 1 FROM external_busy WHERE tenant_id = $1 AND resource_id = $2 AND starts_at < $4 AND ends_at > $3) AS busy',
    values: [span.tenantId, span.resourceId, span.from, span.to],
  });
  return rows[0]!.busy;
}

/** External blocks per resource overlapping `range` (epoch ms), sorted by start: availability's read beside a busy index. */
export async function readExternalBusy(client: Queryable, query: { tenantId: string; resourceIds: string[]; range: { start: number; end: number } }): Promise<Map<string, { start: number; end: number }[]>> {
  const { rows } = await client.query<{ resourceId: string; start: number; end: number }>({
    name: 'gomomo_external_busy_read',
    text: `SELECT resource_id AS "resourceId", round(date_part('epoch', starts_at) * 1000)::float8 AS start, round(date_part('epoch', ends_at) * 1000)::float8 AS "end"
             FROM external_busy WHERE tenant_id = $1 AND resource_id = ANY($2::uuid[]) AND starts_at < $4 AND ends_at > $3
            ORDER BY resource_id, starts_at`,
    values: [query.tenantId, query.resourceIds, new Date(query.range.start), new Date(query.range.end)],
  });
  const busy = new Map<string, { start: number; end: number }[]>();
  for (const row of rows) {
    const list = busy.get(row.resourceId);
    if (list) list.push({ start: row.start, end: row.end });
    else busy.set(row.resourceId, [{ start: row.start, end: row.end }]);
  }
  return busy;
}
