// Issue 14 item 4: a runner that stops heartbeating has its jobs released within two job timeouts,
// and a job that timed out never runs twice at once (in this process or another).
import { withTransaction } from '@gomomo/core';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addJob } from '../src/queue/add-job.js';
import { installQueue } from '../src/queue/install.js';
import { startJobRunner } from '../src/queue/runner.js';
import { makeTenant } from './helpers.js';

let db: TestDatabase;
let tenantId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await installQueue(db.pool);
  tenantId = (await makeTenant(db.pool)).id;
});
afterAll(async () => db?.drop());
beforeEach(async () => {
  await db.pool.query('DELETE FROM graphile_worker._private_jobs; DELETE FROM autonomy_workers');
});

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Tracks handler runs: how many at once, and each run's span. */
function tracker() {
  let active = 0;
  const state = { maxActive: 0, runs: [] as { start: number; end: number }[] };
  const run = async (ms: number) => {
    active += 1;
    state.maxActive = Math.max(state.maxActive, active);
    const start = Date.now();
    await sleep(ms);
    active -= 1;
    state.runs.push({ start, end: Date.now() });
  };
  return { state, run };
}

describe('crash recovery', () => {
  it('regression: after kill -9 confirmations are not sent — a dead runner\'s locked job runs within two job timeouts', async () => {
    const jobTimeoutMs = 1000;
    await withTransaction(db.pool, (client) => addJob(client, { task: 'confirm', payload: { tenantId } }));
    // A process that beat a moment ago, locked the job, and was killed (no graceful stop).
    await db.pool.query(`INSERT INTO autonomy_workers (id, worker_ids, beat_at) VALUES ('runner-killed', '{worker-killed}', now())`);
    await db.pool.query(`UPDATE graphile_worker._private_jobs SET locked_by = 'worker-killed', locked_at = now()`);
    const diedAt = Date.now();
    let ranAt = 0;
    const runner = await startJobRunner({ pool: db.pool, concurrency: 1, jobTimeoutMs, heartbeatMs: 100, log: () => undefined, tasks: { confirm: async () => void (ranAt = Date.now()) } });
    try {
      await waitFor(() => ranAt > 0, 5000);
    } finally {
      await runner.stop();
    }
    expect(ranAt - diedAt).toBeGreaterThanOrEqual(jobTimeoutMs - 100);
    expect(ranAt - diedAt).toBeLessThan(2 * jobTimeoutMs);
    // The dead process's row is forgotten; the live one removed its own on stop.
    expect((await db.pool.query('SELECT id FROM autonomy_workers')).rows).toEqual([]);
  });

  it('never releases the job of a live runner, however long it runs: a timed-out job does not run twice at once', async () => {
    const jobTimeoutMs = 300;
    const { state, run } = tracker();
    await withTransaction(db.pool, (client) => addJob(client, { task: 'slow', payload: { tenantId }, maxAttempts: 2 }));
    const tasks = { slow: () => run(state.runs.length === 0 && state.maxActive === 0 ? 8000 : 10) };
    // Two runners (two "processes"): the second must not take the first one's long-running job.
    const first = await startJobRunner({ pool: db.pool, concurrency: 1, jobTimeoutMs, heartbeatMs: 50, log: () => undefined, tasks });
    await waitFor(() => state.maxActive === 1, 5000);
    const second = await startJobRunner({ pool: db.pool, concurrency: 1, jobTimeoutMs, heartbeatMs: 50, log: () => undefined, tasks });
    try {
      // Timed out at 300 ms, still running at 8 s: graphile-worker's retry (after ~e¹ s of backoff) must wait for it.
      await waitFor(() => state.runs.length === 2, 20_000);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
    expect(state.maxActive).toBe(1);
    expect(state.runs[1]!.start).toBeGreaterThanOrEqual(state.runs[0]!.end);
  });
});
