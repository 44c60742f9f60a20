// The receptionist's own overhead on a real Postgres: whole turns of the offline brain through the
// guarded executor, and the executor's cost per tool call apart from the booking engine.
// Prints ONE JSON object. Uses BENCH_DATABASE_URL when set, else a throwaway embedded Postgres.
import { createBookingEngine, createPool, createTenant, demoTenantInput, migrate, type Clock } from '@gomomo/core';
import { openScratchDatabase } from '@gomomo/core/testing';
import { createPolicyEngine } from '@gomomo/policy';
import { createReceptionist } from '../src/index.js';

const conversations = Number(process.env.BENCH_CONVERSATIONS ?? 80);
const warmup = 10;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)]! * 100) / 100;
}

async function openDatabase(): Promise<{ url: string; close: () => Promise<void> }> {
  // Its own pool below counts round trips; the scratch database's pool stays idle.
  const { url, close } = await openScratchDatabase({ label: 'agent', poolSize: 1 });
  return { url, close };
}

async function main(): Promise<void> {
  const database = await openDatabase();
  const pool = createPool(database.url, { max: 10 });
  // Round trips are counted as well as timed: on a shared machine the times wander, the count does not.
  let roundTrips = 0;
  let isMeasuring = false;
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      if (isMeasuring) roundTrips += 1;
      return query(...args);
    }) as typeof client.query;
  });
  try {
    await migrate(pool);
    // Thursday 09:00 in New York, frozen: every conversation sees the same calendar.
    const now = new Date('2026-03-05T14:00:00Z');
    const clock: Clock = { now: () => now };
    const tenant = await createTenant(pool, { ...demoTenantInput, slug: 'bench-clinic', lookaheadDays: 60 });
    const engine = createBookingEngine({ pool, clock });
    const policy = createPolicyEngine({ pool, clock });
    const overheads: number[] = [];
    const receptionist = createReceptionist({
      pool,
      engine,
      policy,
      clock,
      onToolTiming: (t) => {
        if (isMeasuring) overheads.push(t.totalMs - t.engineMs);
      },
    });
    const script = ['Hello', 'I would like a follow-up next Tuesday after 3', '1', 'Ana Silva, ana@example.com', 'yes', 'thanks!'];
    const turns: number[] = [];
    for (let i = 0; i < warmup + conversations; i++) {
      isMeasuring = i >= warmup;
      const sessionId = `bench-${i}`;
      let reference: string | undefined;
      for (const text of script) {
        const started = performance.now();
        const result = await receptionist.handleTurn({ tenantId: tenant.id, sessionId, channel: 'web', text });
        if (isMeasuring) turns.push(performance.now() - started);
        const booked = result.events.find((e) => e.type === 'booking');
        if (booked?.type === 'booking') reference = booked.reference;
      }
      if (!reference) throw new Error(`conversation ${i} did not book`);
      // Free the slot again (outside the measurement) so every conversation books the same way.
      await engine.cancel({ tenantId: tenant.id, reference, verify: { staff: true } });
    }
    console.log(
      JSON.stringify({
        turn_p50_ms: percentile(turns, 50),
        turn_p99_ms: percentile(turns, 99),
        tool_overhead_p50_ms: percentile(overheads, 50),
        tool_overhead_p99_ms: percentile(overheads, 99),
        db_round_trips_per_turn: Math.round((roundTrips / turns.length) * 100) / 100,
        turns: turns.length,
        tool_calls: overheads.length,
        brain: 'offline',
        database: process.env.BENCH_DATABASE_URL ? 'external' : 'embedded',
      }),
    );
  } finally {
    await pool.end();
    await database.close();
  }
}

await main();
