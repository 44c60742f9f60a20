// pnpm eval — τ-bench-style evaluation of the receptionist through the real API. Every scripted goal
// runs against `buildApp` on a throwaway Postgres and is judged by the final database state and by
// invariants that must be zero on every run. Prints ONE JSON line: pass rate and pass^k per brain
// (the offline brain k=1; with OPENAI_API_KEY set, the model too, k=4), the invariant counts and the
// failing goal ids. EVAL_VERBOSE=1 prints why each goal failed to stderr. Exits 1 when an invariant
// is broken or the offline brain is below EVAL_MIN_PASS_RATE (default 0, report only). EVAL_GOALS
// narrows the run to some goals (see selectGoals).
import { openScratchDatabase } from '@gomomo/core/testing';
import { startEvalApp } from './eval-app.js';
import { goals as allGoals } from './goals/index.js';
import { runSuite, type BrainResult } from './run-suite.js';

/**
 * EVAL_GOALS=id,prefix-* runs only those goals (a trailing * matches a prefix): for working on a few
 * goals without the whole suite. Unset: every goal.
 */
function selectGoals(filter: string | undefined): typeof allGoals {
  const patterns = (filter ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  if (patterns.length === 0) return allGoals;
  return allGoals.filter((goal) => patterns.some((p) => (p.endsWith('*') ? goal.id.startsWith(p.slice(0, -1)) : goal.id === p)));
}

const goals = selectGoals(process.env.EVAL_GOALS);

async function main(): Promise<void> {
  const started = performance.now();
  const database = await openScratchDatabase({ label: 'eval' });
  const brains: Record<string, BrainResult> = {};
  try {
    const offline = await startEvalApp({ databaseUrl: database.url });
    try {
      brains.offline = await runSuite(offline, goals, { k: 1 });
    } finally {
      await offline.close();
    }
    if (process.env.OPENAI_API_KEY) {
      const model = await startEvalApp({ databaseUrl: database.url, env: process.env });
      try {
        brains[model.brain] = await runSuite(model, goals, { k: 4, concurrency: 2, runOffset: 100 });
      } finally {
        await model.close();
      }
    }
  } finally {
    await database.close();
  }
  if (process.env.EVAL_VERBOSE) for (const [brain, result] of Object.entries(brains)) for (const f of result.failing) console.error(`${brain} ${f.id}: ${f.reasons.join(' | ')}`);
  const invariants = Object.values(brains).reduce(
    (sum, r) => ({ doubleBookings: sum.doubleBookings + r.invariants.doubleBookings, falseClaims: sum.falseClaims + r.invariants.falseClaims, actionsWithoutConsent: sum.actionsWithoutConsent + r.invariants.actionsWithoutConsent, crossTenantReads: sum.crossTenantReads + r.invariants.crossTenantReads }),
    { doubleBookings: 0, falseClaims: 0, actionsWithoutConsent: 0, crossTenantReads: 0 },
  );
  const summary = {
    suite: 'gomomo-eval',
    goals: goals.length,
    brains: Object.fromEntries(Object.entries(brains).map(([brain, r]) => [brain, { k: r.k, passRate: r.passRate, passK: r.passK, invariants: r.invariants, failing: r.failing.map((f) => f.id) }])),
    invariants,
    failing: Object.entries(brains).flatMap(([brain, r]) => r.failing.map((f) => `${brain}:${f.id}`)),
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
  console.log(JSON.stringify(summary));
  const minimum = Number(process.env.EVAL_MIN_PASS_RATE ?? 0);
  const isBroken = Object.values(invariants).some((count) => count > 0) || (brains.offline?.passRate ?? 0) < minimum;
  process.exitCode = isBroken ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
