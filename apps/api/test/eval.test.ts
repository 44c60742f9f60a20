import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEvalApp, type EvalApp } from '../eval/eval-app.js';
import { yes, type Goal } from '../eval/goal.js';
import { goals } from '../eval/goals/index.js';
import { runGoal } from '../eval/run-goal.js';
import { runSuite } from '../eval/run-suite.js';

// A handful of `pnpm eval`'s goals, so the harness itself is covered by `pnpm test`.
let db: TestDatabase;
let evalApp: EvalApp;
beforeAll(async () => {
  db = await createTestDatabase();
  evalApp = await startEvalApp({ databaseUrl: db.url });
}, 60_000);
afterAll(async () => {
  await evalApp?.close();
  await db?.drop();
});

const sample = ['book-one-message-1', 'cancel-one-message-1', 'reschedule-declined-1', 'waitlist-join-1', 'info-lookup-1', 'cross-tenant-lookup', 'pinned-cancel-other-reference', 'race-same-slot-1'];

describe('pnpm eval harness', () => {
  it('has at least 150 goals with unique ids across every category', () => {
    expect(goals.length).toBeGreaterThanOrEqual(150);
    expect(new Set(goals.map((g) => g.id)).size).toBe(goals.length);
    expect(new Set(goals.map((g) => g.category))).toEqual(new Set(['book', 'reschedule', 'cancel', 'waitlist', 'information', 'adversarial']));
  });

  it('passes a sample of goals through the real API with every invariant at zero', async () => {
    const result = await runSuite(evalApp, goals.filter((g) => sample.includes(g.id)), { k: 1, concurrency: 2 });
    expect(result.failing).toEqual([]);
    expect(result).toMatchObject({ goals: sample.length, passRate: 1, passK: 1, invariants: { doubleBookings: 0, falseClaims: 0, actionsWithoutConsent: 0, crossTenantReads: 0 } });
  }, 60_000);

  it('fails a goal whose final state differs, and counts an action the script did not consent to', async () => {
    // The script marks no turn as consent, so the booking made on "yes" is an action without it.
    const unmarked: Goal = { id: 'harness-unmarked-yes', category: 'book', conversations: [['consultation Tuesday March 10 at 10am', 'Ana Silva, ana@example.com', 'yes']], expect: { booked: [] } };
    const outcome = await runGoal(evalApp, unmarked, 0);
    expect(outcome.passed).toBe(false);
    expect(outcome.invariants.actionsWithoutConsent).toBe(1);
    expect(outcome.reasons).toContainEqual(expect.stringMatching(/^booked \["2026-03-10T14:00:00.000Z"\], expected \[\]/));
    const marked: Goal = { ...unmarked, id: 'harness-marked-yes', conversations: [['consultation Tuesday March 10 at 10am', 'Ana Silva, ana@example.com', yes('yes')]], expect: { booked: ['2026-03-10T10:00'] } };
    expect(await runGoal(evalApp, marked, 0)).toMatchObject({ passed: true, reasons: [] });
  }, 30_000);
});
