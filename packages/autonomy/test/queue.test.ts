import { createPool, domainEventTypes, recordEvent, withTransaction, type Pool } from '@gomomo/core';
import { eventHandlers, eventTypesWithoutWork } from '../src/handlers/dispatch.js';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addJob } from '../src/queue/add-job.js';
import { catchUpEvents, installQueue } from '../src/queue/install.js';
import { startJobRunner } from '../src/queue/runner.js';
import { jobsOf, makeTenant } from './helpers.js';

let db: TestDatabase;
let tenantId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await installQueue(db.pool);
  tenantId = (await makeTenant(db.pool)).id;
});
afterAll(async () => db?.drop());

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function event(type: 'hold.created' | 'booking.created' = 'booking.created') {
  return { tenantId, type, payload: {}, occurredAt: new Date('2026-12-01T12:00:00Z') } as const;
}

describe('enqueueing', () => {
  it('adds the domain_event job in the same transaction as the event: a rollback leaves neither', async () => {
    await db.pool.query('DELETE FROM graphile_worker._private_jobs');
    await expect(
      withTransaction(db.pool, async (client) => {
        await recordEvent(client, event());
        throw new Error('booking failed');
      }),
    ).rejects.toThrow('booking failed');
    expect(await jobsOf(db.pool)).toEqual([]);
    const id = await withTransaction(db.pool, (client) => recordEvent(client, event()));
    expect((await jobsOf(db.pool)).map((j) => [j.task, j.key, j.payload])).toEqual([['domain_event', `domain_event:${id}`, { id, tenantId }]]);
  });

  it('enqueues as the app role too (the trigger runs as the queue owner)', async () => {
    await db.pool.query('DELETE FROM graphile_worker._private_jobs');
    const { withTenant } = await import('@gomomo/core');
    await withTenant(db.pool, tenantId, (client) => recordEvent(client, event()));
    expect(await jobsOf(db.pool)).toHaveLength(1);
  });

  it('an event type with no subscriber does not become a job at all', async () => {
    await db.pool.query('DELETE FROM graphile_worker._private_jobs');
    await withTransaction(db.pool, (client) => recordEvent(client, event('hold.created')));
    expect(await jobsOf(db.pool)).toEqual([]);
    const id = await withTransaction(db.pool, (client) => recordEvent(client, event('booking.created')));
    expect((await jobsOf(db.pool)).map((j) => j.key)).toEqual([`domain_event:${id}`]);
  });

  it.each(domainEventTypes.map((type) => [type]))('enqueues %s exactly when a handler acts on it (the trigger, the catch-up and dispatch agree)', async (type) => {
    const doesNothing = eventTypesWithoutWork.has(type);
    // The trigger's WHEN clause (migration 0182 lists the types itself), by writing such an event.
    const id = await withTransaction(db.pool, (client) => recordEvent(client, { ...event(), type }));
    const { rows: jobs } = await db.pool.query('SELECT 1 FROM graphile_worker._private_jobs WHERE key = $1', [`domain_event:${id}`]);
    expect(jobs).toHaveLength(doesNothing ? 0 : 1);
    // The function the worker's catch-up asks (migration 0180).
    const { rows } = await db.pool.query<{ needsJob: boolean }>('SELECT gomomo_event_needs_job($1) AS "needsJob"', [type]);
    expect(rows[0]!.needsJob).toBe(!doesNothing);
    // The listed types are exactly the handlers that do nothing.
    expect(eventHandlers[type] === eventHandlers['hold.created']).toBe(doesNothing);
  });

  it('catches up events written before the queue schema existed, once', async () => {
    const fresh = await createTestDatabase();
    try {
      const tenant = (await makeTenant(fresh.pool)).id;
      for (let i = 0; i < 3; i++) await withTransaction(fresh.pool, (client) => recordEvent(client, { ...event('booking.created'), tenantId: tenant }));
      // An event no handler acts on is not caught up either.
      await withTransaction(fresh.pool, (client) => recordEvent(client, { ...event('hold.created'), tenantId: tenant }));
      await installQueue(fresh.pool);
      expect(await catchUpEvents(fresh.pool, { since: new Date(Date.now() - 3_600_000) })).toBe(3);
      expect(await catchUpEvents(fresh.pool, { since: new Date(Date.now() - 3_600_000) })).toBe(0);
      expect(await jobsOf(fresh.pool)).toHaveLength(3);
    } finally {
      await fresh.drop();
    }
  });
});

describe('job runner', () => {
  it('never runs one job twice with two worker processes on one database', async () => {
    await db.pool.query('DELETE FROM graphile_worker._private_jobs');
    await db.pool.query('CREATE TABLE job_runs (n integer NOT NULL, worker text NOT NULL)');
    const total = 300;
    await withTransaction(db.pool, async (client) => {
      for (let n = 0; n < total; n++) await addJob(client, { task: 'count', payload: { n, tenantId } });
    });
    const pools: Pool[] = [createPool(db.url, { max: 6 }), createPool(db.url, { max: 6 })];
    const runners = await Promise.all(
      pools.map((pool, index) =>
        startJobRunner({
          pool,
          concurrency: 4,
          jobTimeoutMs: 5000,
          tasks: {
            count: async (payload) => {
              await pool.query('INSERT INTO job_runs (n, worker) VALUES ($1, $2)', [payload.n, `w${index}`]);
            },
          },
        }),
      ),
    );
    try {
      await waitFor(async () => (await db.pool.query('SELECT 1 FROM graphile_worker._private_jobs')).rowCount === 0);
    } finally {
      await Promise.all(runners.map((runner) => runner.stop()));
      await Promise.all(pools.map((pool) => pool.end()));
    }
    const { rows } = await db.pool.query<{ runs: number; distinct: number; workers: number }>(
      'SELECT count(*)::int AS runs, count(DISTINCT n)::int AS distinct, count(DISTINCT worker)::int AS workers FROM job_runs',
    );
    expect(rows[0]).toEqual({ runs: total, distinct: total, workers: 2 });
  });

  it('fails a job that runs past its time limit (once it has stopped) and records a dead letter after the last attempt', async () => {
    await db.pool.query('DELETE FROM graphile_worker._private_jobs');
    await withTransaction(db.pool, (client) => addJob(client, { task: 'hang', payload: { tenantId }, maxAttempts: 1 }));
    const runner = await startJobRunner({ pool: db.pool, concurrency: 1, jobTimeoutMs: 100, log: () => undefined, tasks: { hang: () => new Promise((resolve) => setTimeout(resolve, 600)) } });
    try {
      // The dead letter is written from job:failed, just before graphile-worker records the failure.
      await waitFor(async () => (await db.pool.query('SELECT 1 FROM job_dead_letters WHERE tenant_id = $1', [tenantId])).rowCount === 1 && (await jobsOf(db.pool))[0]?.lastError != null);
    } finally {
      await runner.stop();
    }
    const { rows } = await db.pool.query('SELECT task, attempts, last_error AS "lastError" FROM job_dead_letters WHERE tenant_id = $1', [tenantId]);
    expect(rows[0]).toMatchObject({ task: 'hang', attempts: 1 });
    expect(rows[0].lastError).toContain('ran longer than 100 ms');
    const [job] = await jobsOf(db.pool);
    expect(job).toMatchObject({ attempts: 1 });
    expect(job!.lastError).toContain('ran longer than 100 ms');
  });

  it.each([
    ['a payload without tenantId', { n: 1 }, 'boom'],
    ['a tenantId that is not a UUID', { tenantId: 'clinic-1' }, 'boom'],
    ['a tenant that no longer exists', { tenantId: '00000000-0000-4000-8000-000000000000' }, 'boom'],
    ['a payload that is not an object', [1, 2, 3], 'boom'],
    ['a tenant that exists', { tenantId: 'TENANT' }, 'boom'],
  ])('records a dead letter for %s', async (_, rawPayload, task) => {
    await db.pool.query('DELETE FROM graphile_worker._private_jobs; DELETE FROM job_dead_letters');
    const payload = JSON.parse(JSON.stringify(rawPayload).replace('TENANT', tenantId)) as unknown;
    await db.pool.query(`SELECT graphile_worker.add_job($1, $2::json, max_attempts => 1, job_key => 'dl-test')`, [task, JSON.stringify(payload)]);
    const runner = await startJobRunner({ pool: db.pool, concurrency: 1, jobTimeoutMs: 1000, log: () => undefined, tasks: { boom: async () => Promise.reject(new Error('kaboom')) } });
    try {
      await waitFor(async () => (await db.pool.query('SELECT 1 FROM job_dead_letters')).rowCount === 1);
    } finally {
      await runner.stop();
    }
    const { rows } = await db.pool.query('SELECT tenant_id AS "tenantId", task, job_key AS "jobKey", payload, attempts, last_error AS "lastError" FROM job_dead_letters');
    const isKnownTenant = JSON.stringify(payload).includes(tenantId);
    expect(rows[0]).toMatchObject({ task, jobKey: 'dl-test', payload, attempts: 1, tenantId: isKnownTenant ? tenantId : null });
    expect(rows[0].lastError).toContain('kaboom');
  });

  it('retries a failed job later with backoff instead of dead-lettering it before the last attempt', async () => {
    await db.pool.query('DELETE FROM graphile_worker._private_jobs; DELETE FROM job_dead_letters');
    await withTransaction(db.pool, (client) => addJob(client, { task: 'flaky', payload: { tenantId }, maxAttempts: 5 }));
    const runner = await startJobRunner({ pool: db.pool, concurrency: 1, jobTimeoutMs: 1000, tasks: { flaky: async () => Promise.reject(new Error('transient')) } });
    try {
      await waitFor(async () => (await jobsOf(db.pool))[0]?.attempts === 1);
    } finally {
      await runner.stop();
    }
    const [job] = await jobsOf(db.pool);
    expect(job!.runAt.getTime()).toBeGreaterThan(Date.now());
    expect((await db.pool.query('SELECT 1 FROM job_dead_letters')).rowCount).toBe(0);
  });
});
