import type { Pool, PoolClient } from '@gomomo/core';
import { actionPattern } from '../actions.js';
import { PolicyError } from '../errors.js';
import { redact } from '../pii/redact.js';
import { redactText } from '../pii/redact-text.js';
import { actors, channels } from '../types.js';
import { canonicalSplit, toJsonValue, toStorableText } from './canonical.js';
import { clientRefOf, pseudonymizeIdentifier } from './pseudonym.js';
import { auditOutcomes, type AppendResult, type AuditEntryInput } from './types.js';

type Queryable = Pick<PoolClient, 'query'>;

/** The hashed content of a row: everything but its id, its own hash and prev_hash (chained separately). */
export interface AuditContent {
  /** The hash format: absent for format 1 (milliseconds), 2 since migration 0024 (see `auditHashVersion`). */
  v?: number | undefined;
  tenantId: string;
  seq: number;
  occurredAt: string;
  actor: string;
  channel: string;
  action: string;
  tool: string | null;
  outcome: string;
  reason: string | null;
  ruleId: string | null;
  ruleVersion: number | null;
  sessionId: string | null;
  subjectId: string | null;
  clientRef: string | null;
  details: unknown;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The hash format new rows are written in: 2 hashes `occurred_at` to the microsecond, as stored. */
export const auditHashVersion = 2;

/**
 * Clips to `max` UTF-16 units with an ellipsis, never between the two halves of a surrogate pair
 * (an emoji): a lone half is stored as U+FFFD but was hashed as "\ud83d", so the untouched row
 * would fail verification.
 */
export function clip(text: string | null | undefined, max: number): string | null {
  if (text === null || text === undefined) return null;
  const clean = toStorableText(text);
  if (clean.length <= max) return clean;
  let end = max - 1;
  const last = clean.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${clean.slice(0, end)}…`;
}

/**
 * An instant as format 2 hashes it: ISO 8601 with microseconds, exactly what Postgres stores
 * (`to_char(… 'US')`). A JS Date has milliseconds, so the last three digits are zeros.
 */
export function microsecondIso(instant: Date): string {
  return instant.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function validate(entry: AuditEntryInput): void {
  const problems: Array<[string, boolean, string]> = [
    ['tenantId', uuidPattern.test(entry.tenantId), 'must be a UUID'],
    ['actor', (actors as readonly string[]).includes(entry.actor), `must be one of ${actors.join(', ')}`],
    ['channel', (channels as readonly string[]).includes(entry.channel), `must be one of ${channels.join(', ')}`],
    ['action', actionPattern.test(entry.action) && entry.action.length <= 100, 'must be an action name such as "booking.hold"'],
    ['outcome', (auditOutcomes as readonly string[]).includes(entry.outcome), `must be one of ${auditOutcomes.join(', ')}`],
  ];
  const failed = problems.find(([, ok]) => !ok);
  if (failed) throw new PolicyError('VALIDATION', `audit entry ${failed[0]}: ${failed[2]}, got ${JSON.stringify(entry[failed[0] as keyof AuditEntryInput])?.slice(0, 60)}`, { field: failed[0] });
}

/** Builds the row content for `seq`: redacted, clipped to the column limits, and JSON-normalised. */
export function buildAuditContent(entry: AuditEntryInput, seq: number): AuditContent {
  validate(entry);
  const tenantId = entry.tenantId.toLowerCase();
  // Contacts never reach an audit column in clear: ids that embed a phone or an email (an SMS
  // session id `sms:+1…`) keep their shape with the contact replaced by its keyed pseudonym.
  const identifier = (value: string | undefined) => (value === undefined ? undefined : pseudonymizeIdentifier(tenantId, value));
  return {
    v: auditHashVersion,
    tenantId,
    seq,
    occurredAt: microsecondIso(entry.occurredAt ?? new Date()),
    actor: entry.actor,
    channel: entry.channel,
    action: entry.action,
    tool: clip(entry.tool, 100),
    outcome: entry.outcome,
    reason: clip(entry.reason === undefined ? undefined : redactText(entry.reason), 2000),
    ruleId: clip(entry.ruleId, 200),
    ruleVersion: entry.ruleVersion ?? null,
    sessionId: clip(identifier(entry.sessionId), 200),
    subjectId: clip(identifier(entry.subjectId), 200),
    clientRef: entry.clientKey ? clientRefOf(entry.tenantId, entry.clientKey) : null,
    details: toJsonValue(redact(entry.details ?? {})) ?? {},
  };
}

/** The INSERT shared by the chained log and the benchmark's unchained copy. */
export function auditInsertSql(table: string): string {
  return `INSERT INTO ${table} (tenant_id, seq, occurred_at, actor, channel, action, tool, outcome, reason, rule_id, rule_version,
      session_id, subject_id, client_ref, details, prev_hash, hash)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`;
}

export function auditInsertParams(content: AuditContent, prevHash: string, hash: string): unknown[] {
  return [
    content.tenantId, content.seq, content.occurredAt, content.actor, content.channel, content.action, content.tool, content.outcome,
    content.reason, content.ruleId, content.ruleVersion, content.sessionId, content.subjectId, content.clientRef,
    JSON.stringify(content.details), prevHash, hash,
  ];
}

/** The parameters both append functions take: the content, redacted and split around `seq` for hashing. */
function appendParams(entry: AuditEntryInput): unknown[] {
  const content = buildAuditContent(entry, 0);
  const { prefix, suffix } = canonicalSplit(content as unknown as Record<string, unknown>, 'seq');
  return [
    content.tenantId, content.occurredAt, content.actor, content.channel, content.action, content.tool, content.outcome, content.reason,
    content.ruleId, content.ruleVersion, content.sessionId, content.subjectId, content.clientRef, JSON.stringify(content.details), prefix, suffix,
  ];
}

/**
 * Appends inside the caller's transaction, at any isolation level. Redaction and canonical JSON
 * happen before the chain lock; `gomomo_audit_append_v2` then locks, reads the head, hashes and
 * inserts in one round trip. The lock is held until the caller's transaction ends. Under
 * REPEATABLE READ or SERIALIZABLE, a head that moved after the caller's snapshot is reported as a
 * serialization failure (40001), which `withTenant`/`withTransaction` retry; READ COMMITTED never
 * sees one.
 */
export async function appendAuditIn(client: Queryable, entry: AuditEntryInput): Promise<AppendResult> {
  const { rows } = await client.query<{ id: number; seq: number; hash: string }>(
    'SELECT id, seq, hash FROM gomomo_audit_append_v2($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)',
    appendParams(entry),
  );
  return rows[0]!;
}

/**
 * A batch of entries as `gomomo_audit_append_batch` (migration 0027) takes it, in order: each
 * validated, redacted, in canonical JSON and split around `seq` for hashing (`appendParams`), as
 * jsonb text. For a caller that closes its READ COMMITTED transaction with a statement of its own
 * making (the autonomy worker's action records and reminders) and appends its audit entries in that
 * statement: they commit or roll back with the work they describe, and the tenant's chain lock is
 * held until the transaction ends, so that statement should be its last before COMMIT.
 */
export function auditBatchOf(entries: AuditEntryInput[]): string {
  entries.forEach(validate);
  return JSON.stringify(entries.map(appendParams));
}

/**
 * Appends several entries, in order, in one statement inside the caller's READ COMMITTED
 * transaction (`gomomo_audit_append_v2` for each, as `appendAuditIn`): they commit or roll back with
 * the work they describe. The tenant's chain lock is held until the caller's transaction ends, so
 * callers send it last, just before COMMIT (issue 15: a job's decisions and outcomes were three
 * round trips of their own).
 */
export async function appendAuditsIn(client: Queryable, entries: AuditEntryInput[]): Promise<AppendResult[]> {
  if (entries.length === 0) return [];
  const { rows } = await client.query<AppendResult>({
    name: 'gomomo_audit_append_in',
    text: 'SELECT id, seq, hash FROM gomomo_audit_append_batch($1::jsonb)',
    values: [auditBatchOf(entries)],
  });
  return rows;
}

/** One append statement: `gomomo_audit_append_alone` for one entry, the same in a jsonb batch for several. */
async function appendRowsAlone(pool: Pool, rows: unknown[][]): Promise<AppendResult[]> {
  if (rows.length === 1) {
    const { rows: appended } = await pool.query<AppendResult>({
      name: 'gomomo_audit_append_alone',
      text: 'SELECT id, seq, hash FROM gomomo_audit_append_alone($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)',
      values: rows[0]!,
    });
    return appended;
  }
  // As `gomomo_audit_append_batch`, with `gomomo_audit_append_alone` for each row.
  const { rows: appended } = await pool.query<AppendResult>({
    name: 'gomomo_audit_append_many',
    text: `SELECT a.id, a.seq, a.hash
             FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e (p, n)
             CROSS JOIN LATERAL gomomo_audit_append_alone(
               (e.p->>0)::uuid, (e.p->>1)::timestamptz, e.p->>2, e.p->>3, e.p->>4, e.p->>5, e.p->>6, e.p->>7, e.p->>8,
               (e.p->>9)::integer, e.p->>10, e.p->>11, e.p->>12, (e.p->>13)::jsonb, e.p->>14, e.p->>15) AS a
            ORDER BY e.n`,
    values: [JSON.stringify(rows)],
  });
  return appended;
}

/** The entries of one call, appended together (all or none), waiting for their tenant's statement. */
interface QueuedAppend {
  rows: unknown[][];
  resolve(appended: AppendResult[]): void;
  reject(error: unknown): void;
}

/** A tenant's appends in this process: those waiting, and whether a statement is out. */
interface ChainQueue {
  tenantId: string;
  waiting: QueuedAppend[];
  isSending: boolean;
}

/** At most this many entries in one statement (the chain lock is held while it runs). */
const maxEntriesPerStatement = 64;
const chainQueues = new WeakMap<Pool, Map<string, ChainQueue>>();

/**
 * Group commit (issue 15). Appends that are transactions of their own take the tenant's chain lock
 * one at a time anyway, so within a process they wait here instead of in Postgres: while one
 * statement is out for a tenant, later appends queue, and the next statement carries all of them,
 * in the order they were asked. An idle tenant's append is sent at once, so nothing waits that
 * would not have waited for the lock. Each statement holds one tenant's lock only (no lock order
 * between tenants, so no deadlock across processes). If a statement carrying several calls'
 * entries fails, each call is tried again alone, so one call's failure is never another's.
 */
function appendQueued(pool: Pool, tenantId: string, rows: unknown[][]): Promise<AppendResult[]> {
  let byTenant = chainQueues.get(pool);
  if (!byTenant) {
    byTenant = new Map();
    chainQueues.set(pool, byTenant);
  }
  let queue = byTenant.get(tenantId);
  if (!queue) {
    queue = { tenantId, waiting: [], isSending: false };
    byTenant.set(tenantId, queue);
  }
  const appended = new Promise<AppendResult[]>((resolve, reject) => queue.waiting.push({ rows, resolve, reject }));
  if (!queue.isSending) void sendQueued(pool, byTenant, queue);
  return appended;
}

async function sendQueued(pool: Pool, byTenant: Map<string, ChainQueue>, queue: ChainQueue): Promise<void> {
  queue.isSending = true;
  try {
    while (queue.waiting.length > 0) {
      const calls: QueuedAppend[] = [queue.waiting.shift()!];
      let count = calls[0]!.rows.length;
      while (queue.waiting.length > 0 && count + queue.waiting[0]!.rows.length <= maxEntriesPerStatement) {
        const next = queue.waiting.shift()!;
        calls.push(next);
        count += next.rows.length;
      }
      await sendCalls(pool, calls);
    }
  } finally {
    queue.isSending = false;
    if (queue.waiting.length === 0) byTenant.delete(queue.tenantId);
  }
}

async function sendCalls(pool: Pool, calls: QueuedAppend[]): Promise<void> {
  let appended: AppendResult[];
  try {
    appended = await appendRowsAlone(pool, calls.flatMap((call) => call.rows));
  } catch (error) {
    if (calls.length === 1) return calls[0]!.reject(error);
    for (const call of calls) await appendRowsAlone(pool, call.rows).then(call.resolve, call.reject);
    return;
  }
  let at = 0;
  for (const call of calls) {
    call.resolve(appended.slice(at, at + call.rows.length));
    at += call.rows.length;
  }
}

/**
 * Appends as a transaction of its own: `gomomo_audit_append_alone` (migration 0025) enters the
 * tenant and appends in one statement, so the tenant's chain lock is held while it runs and
 * commits, never across a round trip (a tenant transaction around it held the lock through the
 * COMMIT's round trip, and every audited write of the tenant waited that long). Concurrent appends
 * of one tenant share a statement (`appendQueued`).
 */
async function appendAuditAlone(pool: Pool, entry: AuditEntryInput): Promise<AppendResult> {
  const [appended] = await appendQueued(pool, entry.tenantId.toLowerCase(), [appendParams(entry)]);
  return appended!;
}

/**
 * Appends several entries in one statement (one round trip, one transaction: all or none), in
 * order — e.g. the outcomes of a job's tool calls once its transaction committed (issue 15: one
 * append each was a round trip each). Each goes through `gomomo_audit_append_alone`, so each
 * enters its own entry's tenant and the chain locks are held only while the statement runs.
 * Entries of one tenant share the statement with that tenant's other appends (`appendQueued`).
 */
export async function appendAudits(pool: Pool, entries: AuditEntryInput[]): Promise<AppendResult[]> {
  if (entries.length === 0) return [];
  entries.forEach(validate);
  const rows = entries.map(appendParams);
  const tenantId = entries[0]!.tenantId.toLowerCase();
  const isOneTenant = entries.every((entry) => entry.tenantId.toLowerCase() === tenantId);
  return isOneTenant && rows.length <= maxEntriesPerStatement ? appendQueued(pool, tenantId, rows) : appendRowsAlone(pool, rows);
}

function isClient(target: Pool | Queryable): target is Queryable & { release: unknown } {
  return typeof (target as { release?: unknown }).release === 'function';
}

/**
 * Appends one entry to the tenant's hash-chained audit log. Given a pool, it is a transaction of
 * its own (one statement); given a client, it joins the caller's (READ COMMITTED) transaction, so
 * the entry commits or rolls back with the change it describes.
 */
export async function appendAudit(target: Pool | PoolClient, entry: AuditEntryInput): Promise<AppendResult> {
  if (isClient(target)) return appendAuditIn(target, entry);
  validate(entry);
  return appendAuditAlone(target as Pool, entry);
}
