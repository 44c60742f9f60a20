import { withTenant, type Pool } from '@gomomo/core';
import type { AuditContent } from './append.js';
import { chainHash, genesisHash } from './canonical.js';
import { auditColumns } from './query.js';
import type { AuditEntry } from './types.js';

export type ChainVerification =
  | { ok: true; count: number; head: { seq: number; hash: string } | null }
  | { ok: false; count: number; brokenAt: number; seq: number; reason: string };

const batchSize = 1000;

/** A stored row as verification reads it: its hash format, and `occurred_at` to the microsecond. */
type StoredRow = AuditEntry & { hashVersion: number; occurredAtUs: string };

/**
 * The content a row's hash was computed over, in the row's own format: format 1 hashed
 * milliseconds and had no version key; format 2 hashes microseconds (as stored) and names itself.
 */
function contentOf(row: StoredRow): AuditContent {
  return {
    ...(row.hashVersion >= 2 ? { v: row.hashVersion } : {}),
    tenantId: row.tenantId,
    seq: row.seq,
    occurredAt: row.hashVersion >= 2 ? row.occurredAtUs : row.occurredAt,
    actor: row.actor,
    channel: row.channel,
    action: row.action,
    tool: row.tool,
    outcome: row.outcome,
    reason: row.reason,
    ruleId: row.ruleId,
    ruleVersion: row.ruleVersion,
    sessionId: row.sessionId,
    subjectId: row.subjectId,
    clientRef: row.clientRef,
    details: row.details,
  };
}

/**
 * Walks a tenant's chain in order and reports the first row that was changed (its hash no longer
 * matches its content), re-linked (prev_hash differs from the previous row's hash) or preceded by a
 * missing row (a gap in `seq`). `brokenAt` is that row's id. Deleting the newest rows leaves a valid
 * shorter chain, so keep `head` somewhere else (a daily export, a notary) to detect that too.
 */
export async function verifyAuditChain(pool: Pool, tenantId: string): Promise<ChainVerification> {
  // REPEATABLE READ: one snapshot for the whole walk, so appends during it cannot confuse it.
  return withTenant(
    pool,
    tenantId,
    async (client) => {
      let prevHash = genesisHash;
      let expectedSeq = 1;
      for (;;) {
        const { rows } = await client.query<StoredRow>(
          `SELECT ${auditColumns}, hash_version AS "hashVersion",
                  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "occurredAtUs"
             FROM audit_log WHERE tenant_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3`,
          [tenantId, expectedSeq, batchSize],
        );
        for (const row of rows) {
          const count = expectedSeq - 1;
          if (row.seq !== expectedSeq) return { ok: false, count, brokenAt: row.id, seq: row.seq, reason: `row ${expectedSeq} is missing (the next row is ${row.seq})` };
          if (row.prevHash !== prevHash) return { ok: false, count, brokenAt: row.id, seq: row.seq, reason: `row ${row.seq} does not link to the hash of row ${row.seq - 1}` };
          if (chainHash(prevHash, contentOf(row)) !== row.hash) return { ok: false, count, brokenAt: row.id, seq: row.seq, reason: `row ${row.seq} was changed after it was written` };
          prevHash = row.hash;
          expectedSeq += 1;
        }
        if (rows.length < batchSize) break;
      }
      const count = expectedSeq - 1;
      return { ok: true, count, head: count === 0 ? null : { seq: count, hash: prevHash } };
    },
    { isolation: 'repeatable read' },
  );
}
