import type { Pool, Queryable } from '../db/pool.js';
import { withTenant } from '../db/transaction.js';
import type { DomainEvent, NewDomainEvent } from './types.js';

const eventColumns = `id, tenant_id AS "tenantId", type, subject_id AS "subjectId", session_id AS "sessionId", payload,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "occurredAt"`;

/** Writes a domain event inside the caller's transaction, so it commits or rolls back with the change. */
export async function recordEvent(client: Queryable, event: NewDomainEvent): Promise<number> {
  const { rows } = await client.query<{ id: number }>(
    'INSERT INTO domain_events (tenant_id, type, subject_id, session_id, payload, occurred_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [event.tenantId, event.type, event.subjectId ?? null, event.sessionId ?? null, event.payload ?? {}, event.occurredAt],
  );
  return rows[0]!.id;
}

export interface ListEventsInput {
  tenantId: string;
  /** Only events after this id (resume point). */
  afterId?: number | undefined;
  /** Only this conversation's events. */
  sessionId?: string | undefined;
  limit?: number | undefined;
}

/** A tenant's events in id order, for replay after a reconnect. */
export async function listEvents(pool: Pool, input: ListEventsInput): Promise<DomainEvent[]> {
  return withTenant(
    pool,
    input.tenantId,
    async (client) => {
      const { rows } = await client.query<DomainEvent>(
        `SELECT ${eventColumns} FROM domain_events
          WHERE tenant_id = $1 AND id > $2 AND ($3::text IS NULL OR session_id = $3)
          ORDER BY id LIMIT $4`,
        [input.tenantId, input.afterId ?? 0, input.sessionId ?? null, Math.min(input.limit ?? 100, 1000)],
      );
      return rows;
    },
    { isolation: 'read committed' },
  );
}

/** Reads one event by id within its tenant (a NOTIFY carries only the id). */
export async function readEvent(pool: Pool, tenantId: string, id: number): Promise<DomainEvent | null> {
  return withTenant(
    pool,
    tenantId,
    async (client) => {
      const { rows } = await client.query<DomainEvent>(`SELECT ${eventColumns} FROM domain_events WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
      return rows[0] ?? null;
    },
    { isolation: 'read committed' },
  );
}
