// Issue 14, item 6: the audit log holds no contact in clear, its pseudonyms are keyed, appends work
// at any isolation level, and the chain hashes exactly what is stored.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@gomomo/core';
import { createTestDatabase, ManualClock, type TestDatabase } from '@gomomo/core/testing';
import { createPolicyEngine } from '../engine/policy-engine.js';
import { createTestTenant } from '../../test/helpers.js';
import { appendAudit, buildAuditContent } from '../audit/append.js';
import { canonicalSplit } from '../audit/canonical.js';
import { developmentAuditKey, setAuditPseudonymKey } from '../audit/pseudonym.js';
import { queryAudit } from '../audit/query.js';
import { verifyAuditChain } from '../audit/verify.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ max: 12 });
});
afterAll(async () => {
  setAuditPseudonymKey(developmentAuditKey);
  await db.drop();
});

const base = { actor: 'customer', channel: 'sms', action: 'booking.hold', outcome: 'allowed' } as const;

async function rawRows(tenantId: string): Promise<string> {
  const { rows } = await db.pool.query<{ row: string }>('SELECT row_to_json(a)::text AS row FROM audit_log a WHERE tenant_id = $1 ORDER BY seq', [tenantId]);
  return rows.map((r) => r.row).join('\n');
}

async function tamper(sql: string, params: unknown[]): Promise<void> {
  await db.pool.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
  try {
    await db.pool.query(sql, params);
  } finally {
    await db.pool.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
  }
}

describe('regression: phone numbers appear in clear in audit', () => {
  it('stores an SMS session id, and a subject naming a contact, with the contact pseudonymised; a search by the real id still finds it', async () => {
    const tenant = await createTestTenant(db.pool);
    const subjectUuid = '5f0c1a2b-3c4d-4e5f-8a6b-446655440000';
    await appendAudit(db.pool, { ...base, tenantId: tenant.id, sessionId: 'sms:+15551234567', subjectId: 'session:sms:+1 (555) 123-4567:hold_followup:email' });
    await appendAudit(db.pool, { ...base, tenantId: tenant.id, sessionId: 'web:ann@example.com', subjectId: subjectUuid });
    const raw = await rawRows(tenant.id);
    expect(raw).not.toMatch(/5551234567|555\) 123-4567|ann@example\.com/);
    expect(raw).toMatch(/"session_id":"sms:~[0-9a-f]{24}"/);
    expect(raw).toContain(subjectUuid);
    const found = await queryAudit(db.pool, { tenantId: tenant.id, sessionId: 'sms:+15551234567' });
    expect(found.entries).toHaveLength(1);
    expect(await verifyAuditChain(db.pool, tenant.id)).toMatchObject({ ok: true, count: 2 });
  });
});

describe('follow-up limits over pseudonymised subjects', () => {
  it('still counts a subject whose id embeds a phone number', async () => {
    const tenant = await createTestTenant(db.pool);
    const clock = new ManualClock('2026-12-01T14:00:00Z');
    const engine = createPolicyEngine({ pool: db.pool, clock });
    await engine.setFollowUpLimits(tenant.id, { maxPerClientPerDay: 10, maxPerBooking: 1, cooldownMinutes: 0, actions: ['followup.send'] }, { by: 'staff:1' });
    const context = { tenantId: tenant.id, actor: 'autonomous', channel: 'system', subject: { bookingId: 'session:sms:+15551234567:hold_followup' } } as const;
    expect((await engine.evaluate('followup.send', context)).allowed).toBe(true);
    expect(await engine.evaluate('followup.send', context)).toMatchObject({ allowed: false, ruleId: 'guard:followup-per-booking' });
    expect(await rawRows(tenant.id)).not.toContain('5551234567');
  });
});

describe('regression: client_ref is a plain hash', () => {
  it('keys the client pseudonym with the server secret, so sha256(tenant:phone) does not find it', async () => {
    const tenant = await createTestTenant(db.pool);
    const phone = '+15551234567';
    const plain = createHash('sha256').update(`${tenant.id}:${phone}`).digest('hex');
    const first = buildAuditContent({ ...base, tenantId: tenant.id, clientKey: phone }, 1).clientRef;
    setAuditPseudonymKey('another-server-secret-of-at-least-32-chars');
    const second = buildAuditContent({ ...base, tenantId: tenant.id, clientKey: phone }, 1).clientRef;
    setAuditPseudonymKey(developmentAuditKey);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(first).not.toBe(plain);
    expect(second).not.toBe(first);
  });

  it('refuses a key shorter than 32 characters', () => {
    expect(() => setAuditPseudonymKey('short')).toThrow(/auditKey: must be at least 32 characters/);
  });
});

describe('regression: registering an SMS number fails while the tenant has audit traffic', () => {
  it.each(['serializable', 'repeatable read'] as const)('appends inside a %s transaction whose snapshot another append overtook', async (isolation) => {
    const tenant = await createTestTenant(db.pool);
    await appendAudit(db.pool, { ...base, tenantId: tenant.id, sessionId: 'before' });
    let attempts = 0;
    await withTenant(
      db.pool,
      tenant.id,
      async (client) => {
        attempts += 1;
        await client.query('SELECT 1 FROM audit_log WHERE tenant_id = $1 LIMIT 1', [tenant.id]); // the snapshot is taken here
        if (attempts === 1) await appendAudit(db.pool, { ...base, tenantId: tenant.id, sessionId: 'meanwhile' });
        await appendAudit(client, { ...base, tenantId: tenant.id, sessionId: 'mine' });
      },
      { isolation },
    );
    expect(attempts).toBe(2);
    const { entries } = await queryAudit(db.pool, { tenantId: tenant.id, order: 'asc' });
    expect(entries.map((e) => e.sessionId)).toEqual(['before', 'meanwhile', 'mine']);
    expect(await verifyAuditChain(db.pool, tenant.id)).toMatchObject({ ok: true, count: 3 });
  });
});

describe('regression: a clip that splits an emoji breaks the audit chain', () => {
  it('clips before a surrogate pair, and the untouched row verifies', async () => {
    const tenant = await createTestTenant(db.pool);
    const reason = `${'a'.repeat(1998)}😀 and more after the limit`;
    await appendAudit(db.pool, { ...base, tenantId: tenant.id, reason, subjectId: `${'b'.repeat(198)}😀😀` });
    const { entries } = await queryAudit(db.pool, { tenantId: tenant.id });
    expect(entries[0]!.reason).toBe(`${'a'.repeat(1998)}…`);
    expect(entries[0]!.subjectId).toBe(`${'b'.repeat(198)}…`);
    expect(await verifyAuditChain(db.pool, tenant.id)).toMatchObject({ ok: true, count: 1 });
  });
});

describe('regression: occurred_at changes under a millisecond are not detected', () => {
  it('reports a row whose occurred_at moved by half a millisecond', async () => {
    const tenant = await createTestTenant(db.pool);
    for (let i = 0; i < 3; i++) await appendAudit(db.pool, { ...base, tenantId: tenant.id, occurredAt: new Date(Date.UTC(2026, 11, 1, 15, i, 0, 123)) });
    await tamper(`UPDATE audit_log SET occurred_at = occurred_at + interval '500 microseconds' WHERE tenant_id = $1 AND seq = 2`, [tenant.id]);
    expect(await verifyAuditChain(db.pool, tenant.id)).toMatchObject({ ok: false, seq: 2, reason: 'row 2 was changed after it was written' });
  });

  it('still verifies a chain whose first rows were written in hash format 1 (milliseconds)', async () => {
    const tenant = await createTestTenant(db.pool);
    // A row exactly as the code before migration 0024 wrote it: no version key, milliseconds.
    const { v: _v, ...old } = buildAuditContent({ ...base, tenantId: tenant.id, sessionId: 'old' }, 0);
    const legacy = { ...old, occurredAt: '2026-12-01T15:00:00.123Z' };
    const { prefix, suffix } = canonicalSplit(legacy as unknown as Record<string, unknown>, 'seq');
    await withTenant(db.pool, tenant.id, (client) =>
      client.query('SELECT gomomo_audit_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)', [
        legacy.tenantId, legacy.occurredAt, legacy.actor, legacy.channel, legacy.action, legacy.tool, legacy.outcome, legacy.reason,
        legacy.ruleId, legacy.ruleVersion, legacy.sessionId, legacy.subjectId, legacy.clientRef, JSON.stringify(legacy.details), prefix, suffix,
      ]), { isolation: 'read committed' });
    await appendAudit(db.pool, { ...base, tenantId: tenant.id, sessionId: 'new' });
    const { rows } = await db.pool.query<{ v: number }>('SELECT hash_version AS v FROM audit_log WHERE tenant_id = $1 ORDER BY seq', [tenant.id]);
    expect(rows.map((r) => r.v)).toEqual([1, 2]);
    expect(await verifyAuditChain(db.pool, tenant.id)).toMatchObject({ ok: true, count: 2 });
  });
});
