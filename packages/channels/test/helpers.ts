import { createTenant, demoTenantInput, withTransaction, type Pool } from '@gomomo/core';
import { enqueueOutboxMessage } from '../src/outbox/enqueue.js';
import type { NewOutboxMessage } from '../src/outbox/types.js';

let counter = 0;

/** A tenant of its own per test, so tests in one file never see each other's rows. */
export async function makeTenant(pool: Pool): Promise<string> {
  counter += 1;
  const tenant = await createTenant(pool, {
    ...demoTenantInput,
    slug: `chan-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    name: 'Channel Test Clinic',
  });
  return tenant.id;
}

export async function queue(pool: Pool, input: Partial<NewOutboxMessage> & { tenantId: string; channel: 'email' | 'sms'; recipient: string }): Promise<string> {
  const { id } = await withTransaction(pool, (client) =>
    enqueueOutboxMessage(client, {
      template: 'confirmation',
      subject: input.channel === 'email' ? 'Your booking' : null,
      body: `Hello ${input.recipient}`,
      idempotencyKey: `${input.recipient}:${Math.random()}`,
      ...input,
    }),
  );
  return id;
}

export async function rowOf(pool: Pool, id: string) {
  const { rows } = await pool.query<{ status: string; attempts: number; lastError: string | null; providerMessageId: string | null; nextAttemptAt: Date; provider: string | null }>(
    `SELECT status, attempts, last_error AS "lastError", provider_message_id AS "providerMessageId", next_attempt_at AS "nextAttemptAt", provider
       FROM notification_outbox WHERE id = $1`,
    [id],
  );
  return rows[0]!;
}
