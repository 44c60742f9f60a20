import { createBookingEngine, runWithCorrelationId, withTenant } from '@gomomo/core';
import { ManualClock, createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAutonomy } from '../src/start.js';
import { book, makeTenant } from './helpers.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ max: 10 });
});
afterAll(async () => {
  await db?.drop();
});

describe('correlation ids', () => {
  it('a job handling an event gets the correlation id of the request that wrote it, and runs inside aroundJob', async () => {
    const clock = new ManualClock('2026-12-01T12:00:00Z');
    const engine = createBookingEngine({ pool: db.pool, clock });
    const handled: { type: string; correlationId: string | null }[] = [];
    const wrapped: string[] = [];
    const autonomy = await startAutonomy({
      pool: db.pool,
      clock,
      engine,
      config: { concurrency: 1, runSender: false },
      log: () => undefined,
      hooks: {
        onEventHandled: (info) => handled.push({ type: info.type, correlationId: info.correlationId }),
        aroundJob: async (task, run) => {
          wrapped.push(task);
          return run();
        },
      },
    });
    try {
      const tenant = await makeTenant(db.pool);
      await runWithCorrelationId('corr-request-00000001', () => book(engine, tenant, { name: 'Ana', email: 'ana@example.com' }));
      const until = Date.now() + 15_000;
      while (!handled.some((h) => h.type === 'booking.created') && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
      expect(handled.find((h) => h.type === 'booking.created')?.correlationId).toBe('corr-request-00000001');
      expect(wrapped).toContain('domain_event');
      // A malformed id is ignored, never inlined into SQL.
      const read = () => withTenant(db.pool, tenant.id, async (client) => (await client.query<{ id: string | null }>(`SELECT nullif(current_setting('gomomo.correlation_id', true), '') AS id`)).rows[0]!.id);
      expect(await runWithCorrelationId("bad'; DROP TABLE x; --", read)).toBeNull();
      expect(await runWithCorrelationId('good-id-00000001', read)).toBe('good-id-00000001');
    } finally {
      await autonomy.stop();
    }
  });
});
