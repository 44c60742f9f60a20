// pnpm bench:policy — prints ONE JSON object.
//
// evaluate_p50_us / evaluate_p99_us: the decision itself (`engine.decide`, the in-memory part of
// `evaluate`) for a tenant with 200 rules, cache warm. evaluate_with_audit_*: the full `evaluate`,
// i.e. the decision plus its chained audit insert (a database round trip), measured separately.
// audit_insert_per_s vs audit_insert_unchained_per_s: the same rows and transactions, with and
// without the per-tenant chain (advisory lock + head read + hash), at the same concurrency.
import { performance } from 'node:perf_hooks';
import { createTenant, withTenant, type Pool } from '@gomomo/core';
import { openScratchDatabase } from '@gomomo/core/testing';
import { appendAudit, auditInsertParams, auditInsertSql, buildAuditContent } from '../src/audit/append.js';
import { chainHash, genesisHash } from '../src/audit/canonical.js';
import type { AuditEntryInput } from '../src/audit/types.js';
import { createPolicyEngine, type PolicyContext, type PolicyRule } from '../src/index.js';

const decisions = Number(process.env.BENCH_DECISIONS ?? 20_000);
const inserts = Number(process.env.BENCH_INSERTS ?? 2_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function round(value: number, digits = 1): number {
  return Number(value.toFixed(digits));
}

/** 200 rules shaped like a busy tenant's: many actions, wildcards, conditions that mostly do not match. */
/** Action names are letters and underscores only: 0 → "a", 27 → "bb". */
function word(n: number): string {
  return String.fromCharCode(97 + (n % 26)).repeat(1 + Math.floor(n / 26));
}

function makeRules(): PolicyRule[] {
  const rules: PolicyRule[] = [];
  for (let i = 0; i < 150; i++) {
    rules.push({ id: `custom-${i}`, effect: i % 3 === 0 ? 'deny' : 'allow', actions: [`custom.action_${word(i % 40)}`, `other.thing_${word(i % 7)}`], when: { actors: ['staff'], channels: ['web'] } });
  }
  for (let i = 0; i < 30; i++) {
    rules.push({ id: `booking-deny-${i}`, effect: 'deny', actions: [i % 2 === 0 ? 'booking.*' : 'booking.hold'], when: { args: [{ path: 'serviceId', op: 'eq', value: `blocked-service-${i}` }] } });
  }
  for (let i = 0; i < 19; i++) {
    rules.push({ id: `booking-staff-${i}`, effect: 'allow', actions: ['booking.*'], when: { actors: ['staff'], timeOfDay: { from: '08:00', to: '18:00', weekdays: [1, 2, 3, 4, 5] }, tools: [`staff_tool_${i}`] } });
  }
  rules.push({ id: 'night-deny', effect: 'deny', actions: ['*'], when: { timeOfDay: { from: '23:00', to: '05:00' }, actors: ['customer'] } });
  return rules;
}

async function openDatabase(): Promise<{ pool: Pool; close: () => Promise<void> }> {
  return openScratchDatabase({ label: 'policy', poolSize: concurrency + 2 });
}

async function runConcurrently(total: number, work: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await work(next++);
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const { pool, close } = await openDatabase();
  try {
    const tenant = await createTenant(pool, { name: 'Bench Clinic', slug: 'bench-clinic', timeZone: 'America/New_York', services: [{ name: 'Consultation', durationMinutes: 30 }], hours: [{ weekday: 1, opens: '09:00', closes: '17:00' }] });
    const clock = { now: () => new Date('2026-12-01T15:00:00Z') };
    const engine = createPolicyEngine({ pool, clock, refreshMs: 60_000 });
    await engine.replaceRules(tenant.id, makeRules(), { by: 'bench' });

    const contexts: Array<[string, PolicyContext]> = [
      ['booking.hold', { tenantId: tenant.id, actor: 'customer', channel: 'web', tool: 'hold_slot', args: { serviceId: 'svc-1', startsAt: '2026-12-01T15:00:00Z' } }],
      ['booking.hold', { tenantId: tenant.id, actor: 'staff', channel: 'web', tool: 'staff_tool_7' }],
      ['custom.action_d', { tenantId: tenant.id, actor: 'customer', channel: 'sms' }],
      ['availability.check', { tenantId: tenant.id, actor: 'customer', channel: 'sms', args: { date: '2026-12-01' } }],
    ];
    for (let i = 0; i < 2_000; i++) await engine.decide(...contexts[i % contexts.length]!);
    const samples: number[] = [];
    for (let i = 0; i < decisions; i++) {
      const [action, context] = contexts[i % contexts.length]!;
      const started = performance.now();
      await engine.decide(action, context);
      samples.push((performance.now() - started) * 1000);
    }
    samples.sort((a, b) => a - b);

    const withAudit: number[] = [];
    for (let i = 0; i < 500; i++) {
      const started = performance.now();
      await engine.evaluate(...contexts[i % contexts.length]!);
      withAudit.push((performance.now() - started) * 1000);
    }
    withAudit.sort((a, b) => a - b);

    const entry = (i: number): AuditEntryInput => ({
      tenantId: tenant.id, actor: 'customer', channel: 'web', action: 'booking.hold', tool: 'hold_slot', outcome: 'allowed',
      reason: 'Allowed by rule "builtin:customer-chat" (v1)', ruleId: 'builtin:customer-chat', ruleVersion: 1, sessionId: `bench-${i % 50}`,
      occurredAt: clock.now(), details: { args: { serviceId: 'svc-1', startsAt: '2026-12-01T15:00:00Z' }, policyRevision: 1 },
    });
    const chained = await runConcurrently(inserts, (i) => appendAudit(pool, entry(i)));

    // The same rows in a copy of the table without the chain: no lock, no head read, one hash.
    await pool.query('CREATE TABLE audit_log_unchained (LIKE audit_log INCLUDING DEFAULTS INCLUDING IDENTITY); GRANT SELECT, INSERT ON audit_log_unchained TO gomomo_app');
    const unchained = await runConcurrently(inserts, (i) =>
      withTenant(pool, tenant.id, async (client) => {
        const content = buildAuditContent(entry(i), i + 1);
        await client.query(auditInsertSql('audit_log_unchained'), auditInsertParams(content, genesisHash, chainHash(genesisHash, content)));
      }, { isolation: 'read committed' }),
    );

    const result = {
      rules: 200,
      evaluate_p50_us: round(percentile(samples, 50)),
      evaluate_p99_us: round(percentile(samples, 99)),
      evaluate_note: 'decision only (engine.decide, warm cache); the audit insert is measured below',
      evaluate_with_audit_p50_us: round(percentile(withAudit, 50)),
      evaluate_with_audit_p99_us: round(percentile(withAudit, 99)),
      audit_insert_per_s: Math.round(chained),
      audit_insert_unchained_per_s: Math.round(unchained),
      ratio_vs_unchained: round(chained / unchained, 2),
      concurrency,
      database: process.env.BENCH_DATABASE_URL ? 'BENCH_DATABASE_URL' : 'embedded (fsync off)',
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await close();
  }
}

await main();
