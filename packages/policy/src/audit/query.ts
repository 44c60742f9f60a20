import { withTenant, type Pool } from '@gomomo/core';
import { z } from 'zod';
import { parsePolicyInput } from '../validate.js';
import { actors } from '../types.js';
import { auditOutcomes, type AuditEntry } from './types.js';
import { pseudonymizeIdentifier } from './pseudonym.js';

export const auditColumns = `id, tenant_id AS "tenantId", seq,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "occurredAt",
  actor, channel, action, tool, outcome, reason, rule_id AS "ruleId", rule_version AS "ruleVersion",
  session_id AS "sessionId", subject_id AS "subjectId", client_ref AS "clientRef", details,
  prev_hash AS "prevHash", hash`;

const querySchema = z.object({
  tenantId: z.uuid({ message: 'must be a UUID' }),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  actor: z.enum(actors).optional(),
  action: z.string().max(100).optional(),
  outcome: z.enum(auditOutcomes).optional(),
  sessionId: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(1000).default(100),
  /** Newest first by default, the order an operator reads a log in. */
  order: z.enum(['asc', 'desc']).default('desc'),
  cursor: z.string().regex(/^[ad]\d{1,18}$/, 'is not a cursor returned by queryAudit').optional(),
});

export type AuditQuery = z.input<typeof querySchema>;

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass back as `cursor` for the next page; null when this page is the last. */
  nextCursor: string | null;
}

/**
 * Reads a tenant's audit log filtered by time range (`from` inclusive, `to` exclusive), actor,
 * action, outcome and session, with keyset pagination on the chain position: pages never skip or
 * repeat rows while new ones are appended.
 */
export async function queryAudit(pool: Pool, query: AuditQuery): Promise<AuditPage> {
  const q = parsePolicyInput(querySchema, query);
  // The cursor carries its order so a cursor from an ascending read cannot be replayed descending.
  const after = q.cursor && q.cursor[0] === q.order[0] ? Number(q.cursor.slice(1)) : null;
  const comparison = q.order === 'asc' ? '>' : '<';
  return withTenant(
    pool,
    q.tenantId,
    async (client) => {
      const { rows } = await client.query<AuditEntry>(
        `SELECT ${auditColumns} FROM audit_log
          WHERE tenant_id = $1
            AND ($2::timestamptz IS NULL OR occurred_at >= $2) AND ($3::timestamptz IS NULL OR occurred_at < $3)
            AND ($4::text IS NULL OR actor = $4) AND ($5::text IS NULL OR action = $5) AND ($6::text IS NULL OR outcome = $6)
            AND ($7::text IS NULL OR session_id = $7) AND ($8::bigint IS NULL OR seq ${comparison} $8)
          ORDER BY seq ${q.order === 'asc' ? 'ASC' : 'DESC'} LIMIT $9`,
        [q.tenantId, q.from ?? null, q.to ?? null, q.actor ?? null, q.action ?? null, q.outcome ?? null, q.sessionId === undefined ? null : pseudonymizeIdentifier(q.tenantId, q.sessionId), after, q.limit + 1],
      );
      const hasMore = rows.length > q.limit;
      const entries = hasMore ? rows.slice(0, q.limit) : rows;
      const last = entries.at(-1);
      return { entries, nextCursor: hasMore && last ? `${q.order[0]}${last.seq}` : null };
    },
    { isolation: 'read committed' },
  );
}
