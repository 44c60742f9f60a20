import type { EvalApp } from './eval-app.js';
import type { Goal } from './goal.js';
import { countDoubleBookings } from './observe.js';
import { runGoal, type GoalOutcome, type Invariants } from './run-goal.js';

/** One brain's result over k runs of every goal, τ-bench style. */
export interface BrainResult {
  goals: number;
  k: number;
  /** Mean share of goals passed per run. */
  passRate: number;
  /** Share of goals passed in every one of the k runs. */
  passK: number;
  invariants: Invariants;
  failing: Array<{ id: string; reasons: string[] }>;
}

/** Runs goals a few at a time: each has its own businesses, so they don't see each other. */
async function runAll(evalApp: EvalApp, goals: Goal[], options: { run: number; concurrency: number }): Promise<GoalOutcome[]> {
  const outcomes: GoalOutcome[] = new Array(goals.length);
  let next = 0;
  const worker = async () => {
    while (next < goals.length) {
      const index = next++;
      const goal = goals[index]!;
      try {
        outcomes[index] = await runGoal(evalApp, goal, options.run);
      } catch (error) {
        outcomes[index] = { id: goal.id, passed: false, reasons: [`harness error: ${(error as Error).message}`], invariants: { doubleBookings: 0, falseClaims: 0, actionsWithoutConsent: 0, crossTenantReads: 0 } };
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return outcomes;
}

/** Runs every goal k times against one app and sums up pass rate, pass^k and the invariants. */
export async function runSuite(evalApp: EvalApp, goals: Goal[], options: { k: number; concurrency?: number; runOffset?: number }): Promise<BrainResult> {
  const invariants: Invariants = { doubleBookings: 0, falseClaims: 0, actionsWithoutConsent: 0, crossTenantReads: 0 };
  const passedEveryRun = new Map(goals.map((g) => [g.id, true]));
  const reasons = new Map<string, string[]>();
  let passes = 0;
  for (let run = 0; run < options.k; run++) {
    const outcomes = await runAll(evalApp, goals, { run: run + (options.runOffset ?? 0), concurrency: options.concurrency ?? 4 });
    for (const outcome of outcomes) {
      if (outcome.passed) passes += 1;
      else {
        passedEveryRun.set(outcome.id, false);
        reasons.set(outcome.id, [...(reasons.get(outcome.id) ?? []), ...outcome.reasons]);
      }
      for (const key of Object.keys(invariants) as Array<keyof Invariants>) invariants[key] += outcome.invariants[key];
    }
  }
  invariants.doubleBookings += await countDoubleBookings(evalApp.pool);
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return {
    goals: goals.length,
    k: options.k,
    passRate: round(passes / (goals.length * options.k)),
    passK: round([...passedEveryRun.values()].filter(Boolean).length / goals.length),
    invariants,
    failing: [...reasons.entries()].map(([id, why]) => ({ id, reasons: [...new Set(why)] })),
  };
}
