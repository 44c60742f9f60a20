// Regression (issue 13, item 8): the SMS session id was `sms:<phone>` with no tenant, so a person who
// texted one business on a deployment got "Sorry, something went wrong" from every other business
// (the session was bound to the first tenant). Now one conversation per (business, number), with an
// opaque id. The real receptionist (offline brain) on a real Postgres answers both.
import { createReceptionist, type Receptionist } from '@gomomo/agent';
import { createBookingEngine, createTenant, demoTenantInput, withTenant } from '@gomomo/core';
import { ManualClock, createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { createPolicyEngine } from '@gomomo/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fallbackReply } from '../../src/sms/inbound/conversation.js';
import { createInboundSmsHandler } from '../../src/sms/inbound/handler.js';
import { addPhoneNumber } from '../../src/sms/inbound/phone-numbers.js';
import { smsConversationFor } from '../../src/sms/inbound/sms-conversation.js';
import { authToken, inboundParams, newPhone, publicBaseUrl, signedRequest, twimlMessage } from '../sms-webhook.js';

const clock = new ManualClock('2026-03-05T14:00:00Z');
let db: TestDatabase;
let receptionist: Receptionist;

beforeAll(async () => {
  db = await createTestDatabase();
  const engine = createBookingEngine({ pool: db.pool, clock });
  receptionist = createReceptionist({ pool: db.pool, engine, policy: createPolicyEngine({ pool: db.pool, clock }), clock });
});
afterAll(() => db?.drop());

async function business(slug: string): Promise<{ tenantId: string; number: string }> {
  const tenant = await createTenant(db.pool, { ...demoTenantInput, slug, name: `Clinic ${slug}` });
  const number = newPhone();
  await addPhoneNumber(db.pool, { tenantId: tenant.id, number, label: 'main line' });
  return { tenantId: tenant.id, number };
}

async function text(input: { from: string; to: string; body: string }): Promise<string | null> {
  const handler = createInboundSmsHandler({ pool: db.pool, receptionist, authToken, publicBaseUrl, clock });
  const response = await handler.handle(signedRequest(inboundParams(input)));
  expect(response.status).toBe(200);
  return twimlMessage(response.body);
}

async function sessionsOf(phone: string): Promise<{ tenant_id: string; session_id: string }[]> {
  return (await db.pool.query<{ tenant_id: string; session_id: string }>('SELECT tenant_id, session_id FROM sms_conversations WHERE phone = $1 ORDER BY created_at, tenant_id', [phone])).rows;
}

describe('regression: SMS conversations are per business', () => {
  it('answers a person who texts a second business on the same deployment, in a conversation of its own', async () => {
    const first = await business('per-business-one');
    const second = await business('per-business-two');
    const from = newPhone();
    const one = await text({ from, to: first.number, body: 'What are your opening hours?' });
    const two = await text({ from, to: second.number, body: 'What are your opening hours?' });
    expect(one).not.toBe(fallbackReply);
    expect(two).not.toBe(fallbackReply);
    expect(two).toMatch(/\S/);
    const sessions = await sessionsOf(from);
    expect(sessions.map((s) => s.tenant_id).sort()).toEqual([first.tenantId, second.tenantId].sort());
    expect(new Set(sessions.map((s) => s.session_id)).size).toBe(2);
  });

  it('keeps one conversation per (business, number) across texts, with an id that does not contain the number', async () => {
    const clinic = await business('per-business-three');
    const from = newPhone();
    await text({ from, to: clinic.number, body: 'Hi' });
    await text({ from, to: clinic.number, body: 'What are your opening hours?' });
    const sessions = await sessionsOf(from);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.session_id).toMatch(/^sms_[0-9a-f]{32}$/);
    expect(sessions[0]!.session_id).not.toContain(from.replace('+', ''));
    const { rows } = await db.pool.query<{ id: string }>("SELECT id FROM agent_sessions WHERE tenant_id = $1 AND channel = 'sms'", [clinic.tenantId]);
    expect(rows).toEqual([{ id: sessions[0]!.session_id }]);
  });

  it('gives concurrent first texts of one number the same conversation', async () => {
    const clinic = await business('per-business-four');
    const phone = newPhone();
    const ids = await Promise.all(
      Array.from({ length: 4 }, () =>
        withTenant(db.pool, clinic.tenantId, (client) => smsConversationFor(client, { tenantId: clinic.tenantId, phone, now: clock.now() }), { isolation: 'read committed' }),
      ),
    );
    expect(new Set(ids).size).toBe(1);
  });
});
