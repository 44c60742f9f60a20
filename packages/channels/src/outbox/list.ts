import { withTenant, type Pool } from '@gomomo/core';
import { outboxColumns, type OutboxMessage, type OutboxStatus } from './types.js';

/** A tenant's outbox, newest first, for staff views and the demo. */
export async function listOutboxMessages(
  pool: Pool,
  input: { tenantId: string; appointmentId?: string | undefined; status?: OutboxStatus | undefined; limit?: number | undefined },
): Promise<OutboxMessage[]> {
  return withTenant(
    pool,
    input.tenantId,
    async (client) => {
      const { rows } = await client.query<OutboxMessage>(
        `SELECT ${outboxColumns} FROM notification_outbox
          WHERE tenant_id = $1 AND ($2::uuid IS NULL OR appointment_id = $2) AND ($3::text IS NULL OR status = $3)
          ORDER BY created_at DESC, id LIMIT $4`,
        [input.tenantId, input.appointmentId ?? null, input.status ?? null, Math.min(input.limit ?? 100, 1000)],
      );
      return rows;
    },
    { isolation: 'read committed' },
  );
}
