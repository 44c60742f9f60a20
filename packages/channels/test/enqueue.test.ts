import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { runWithCorrelationId, withTransaction } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueOutboxMessage } from '../src/outbox/enqueue.js';
import { makeTenant } from './helpers.js';

let db: TestDatabase;
let tenantId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  tenantId = await makeTenant(db.pool);
});
afterAll(async () => db?.drop());

describe('enqueueOutboxMessage', () => {
  it('queues a notification once per idempotency key', async () => {
    const input = { tenantId, channel: 'email' as const, template: 'confirmation', recipient: 'a@example.com', subject: 'Hi', body: 'Hello', idempotencyKey: 'appt-1:confirmation:email' };
    const first = await withTransaction(db.pool, (client) => enqueueOutboxMessage(client, input));
    const second = await withTransaction(db.pool, (client) => enqueueOutboxMessage(client, { ...input, body: 'Changed' }));
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    const { rows } = await db.pool.query('SELECT body FROM notification_outbox WHERE tenant_id = $1 AND idempotency_key = $2', [tenantId, input.idempotencyKey]);
    expect(rows).toEqual([{ body: 'Hello' }]);
  });

  it('records the correlation id of the request or job that queued it, and none outside one', async () => {
    const input = { tenantId, channel: 'email' as const, template: 'confirmation', recipient: 'c@example.com', subject: 'Hi', body: 'Hello' };
    await runWithCorrelationId('req-0123456789', () => withTransaction(db.pool, (client) => enqueueOutboxMessage(client, { ...input, idempotencyKey: 'correlated' })));
    await withTransaction(db.pool, (client) => enqueueOutboxMessage(client, { ...input, idempotencyKey: 'uncorrelated' }));
    const { rows } = await db.pool.query('SELECT idempotency_key AS key, correlation_id AS id FROM notification_outbox WHERE tenant_id = $1 AND recipient = $2 ORDER BY key', [tenantId, input.recipient]);
    expect(rows).toEqual([
      { key: 'correlated', id: 'req-0123456789' },
      { key: 'uncorrelated', id: null },
    ]);
  });

  it('commits or rolls back with the caller transaction', async () => {
    const input = { tenantId, channel: 'sms' as const, template: 'reminder', recipient: '+15550300001', body: 'Hi', idempotencyKey: 'rolled-back' };
    await expect(
      withTransaction(db.pool, async (client) => {
        await enqueueOutboxMessage(client, input);
        throw new Error('booking failed');
      }),
    ).rejects.toThrow('booking failed');
    const { rowCount } = await db.pool.query('SELECT 1 FROM notification_outbox WHERE idempotency_key = $1', ['rolled-back']);
    expect(rowCount).toBe(0);
  });

  it.each([
    ['recipient', { channel: 'sms', recipient: '555-1234' }],
    ['recipient', { channel: 'email', recipient: 'not an email' }],
    ['subject', { channel: 'email', recipient: 'a@example.com', subject: null }],
    ['body', { body: '' }],
    ['tenantId', { tenantId: 'nope' }],
  ] as const)('rejects a bad %s naming the field', async (field, patch) => {
    const input = { tenantId, channel: 'email' as const, template: 'confirmation', recipient: 'a@example.com', subject: 'Hi', body: 'Hello', idempotencyKey: `bad-${field}`, ...patch };
    await expect(withTransaction(db.pool, (client) => enqueueOutboxMessage(client, input))).rejects.toMatchObject({ code: 'VALIDATION', field });
  });
});
