import { createHash } from 'node:crypto';
import { createTenant, demoTenantInput, type Pool } from '@gomomo/core';
import { ManualClock, createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { queryAudit } from '@gomomo/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authToken, inboundParams, newPhone, publicBaseUrl, signedRequest, twimlMessage } from '../../../test/sms-webhook.js';
import { optOutKeywords } from '../../consent/keywords.js';
import { createInboundSmsHandler } from './handler.js';
import { addPhoneNumber, listPhoneNumbers, listUnroutedSms } from './phone-numbers.js';
import type { InboundSmsHandlerOptions, SmsReceptionist } from './types.js';

type TurnInput = Parameters<SmsReceptionist['handleTurn']>[0];
type TurnAnswer = Awaited<ReturnType<SmsReceptionist['handleTurn']>>;

/** A receptionist-shaped test double of the injected dependency: records turns, answers from a script. */
function scriptedReceptionist(answer: (input: TurnInput) => Promise<TurnAnswer> | TurnAnswer) {
  const turns: TurnInput[] = [];
  const receptionist: SmsReceptionist = {
    async handleTurn(input) {
      turns.push(input);
      return answer(input);
    },
  };
  return { receptionist, turns };
}

let db: TestDatabase;
const clock = new ManualClock('2026-12-01T15:00:00Z');
let counter = 0;

async function makeTenant(pool: Pool, settings: Record<string, unknown> = {}) {
  counter += 1;
  const tenant = await createTenant(pool, { ...demoTenantInput, slug: `sms-in-${counter}-${Math.random().toString(36).slice(2, 8)}`, name: 'Bright Smile Dental', settings });
  const number = newPhone();
  await addPhoneNumber(pool, { tenantId: tenant.id, number, label: 'front desk' });
  return { tenantId: tenant.id, number };
}

function handlerFor(receptionist: SmsReceptionist, overrides: Partial<InboundSmsHandlerOptions> = {}) {
  return createInboundSmsHandler({ pool: db.pool, receptionist, authToken, publicBaseUrl, clock, ...overrides });
}

async function inboundRows(tenantId: string) {
  const { rows } = await db.pool.query<{ message_sid: string; kind: string; status: string; reply: string | null }>(
    'SELECT message_sid, kind, status, reply FROM inbound_messages WHERE tenant_id = $1 ORDER BY received_at, message_sid',
    [tenantId],
  );
  return rows;
}

async function consentOf(tenantId: string, phone: string) {
  const { rows } = await db.pool.query<{ status: string; source: string; keyword: string | null }>(
    "SELECT status, source, keyword FROM contact_consents WHERE tenant_id = $1 AND channel = 'sms' AND address = $2",
    [tenantId, phone],
  );
  return rows[0] ?? null;
}

async function outboxOf(tenantId: string) {
  const { rows } = await db.pool.query<{ recipient: string; body: string; idempotency_key: string; template: string }>(
    'SELECT recipient, body, idempotency_key, template FROM notification_outbox WHERE tenant_id = $1',
    [tenantId],
  );
  return rows;
}

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

describe('inbound SMS webhook: authentication and routing', () => {
  it('refuses a request whose signature is wrong with 403 and stores nothing', async () => {
    const { tenantId, number } = await makeTenant(db.pool);
    const { receptionist, turns } = scriptedReceptionist(() => ({ reply: 'hi', events: [] }));
    const handler = handlerFor(receptionist);
    const params = inboundParams({ from: newPhone(), to: number, body: 'STOP' });
    const cases = [
      signedRequest(params, { token: 'not-the-auth-token' }),
      { ...signedRequest(params), body: { ...params, Body: 'tampered' } },
      { ...signedRequest(params), headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    ];
    for (const request of cases) {
      const response = await handler.handle(request);
      expect(response.status).toBe(403);
      expect(response.body).toMatch(/X-Twilio-Signature/);
    }
    expect(turns).toHaveLength(0);
    expect(await inboundRows(tenantId)).toEqual([]);
    expect(await consentOf(tenantId, params.From!)).toBeNull();
  });

  it('checks the signature over PUBLIC_BASE_URL and the path, not the Host header a proxy rewrote', async () => {
    const { number } = await makeTenant(db.pool);
    const { receptionist } = scriptedReceptionist(() => ({ reply: 'Hello!', events: [] }));
    const handler = handlerFor(receptionist, { publicBaseUrl: `${publicBaseUrl}/` });
    const params = inboundParams({ from: newPhone(), to: number, body: 'hi' });
    expect((await handler.handle(signedRequest(params))).status).toBe(200);
    const signedForHost = signedRequest(inboundParams({ from: newPhone(), to: number, body: 'hi' }), { signedUrl: 'http://10.0.0.7:3000/twilio/sms' });
    expect((await handler.handle(signedForHost)).status).toBe(403);
  });

  it('answers a message to a number no tenant owns with a clear 404 and records the hit', async () => {
    const { receptionist, turns } = scriptedReceptionist(() => ({ reply: 'hi', events: [] }));
    const params = inboundParams({ from: newPhone(), to: '+15559990000', body: 'Book me in' });
    const response = await handlerFor(receptionist).handle(signedRequest(params));
    expect(response.status).toBe(404);
    expect(response.body).toContain('no tenant receives SMS on +15559990000');
    expect(turns).toHaveLength(0);
    const hits = await listUnroutedSms(db.pool);
    expect(hits[0]).toMatchObject({ to: '+15559990000', messageSid: params.MessageSid });
    expect(hits[0]!.fromRef).toMatch(/^[0-9a-f]{64}$/);
    expect(hits[0]!.fromRef).not.toContain(params.From!.slice(1));
    // Keyed, not a plain sha256 of the number (which is reversed in seconds per area code).
    expect(hits[0]!.fromRef).not.toBe(createHash('sha256').update(params.From!).digest('hex'));
  });

  it('regression: a signed SMS whose body has a NUL does not answer 500', async () => {
    const { tenantId, number } = await makeTenant(db.pool);
    const { receptionist, turns } = scriptedReceptionist(() => ({ reply: 'Happy to help', events: [] }));
    const params = inboundParams({ from: newPhone(), to: number, body: 'book\u0000 me\u0007 in \ud800' });
    const response = await handlerFor(receptionist).handle(signedRequest(params));
    expect(response.status).toBe(200);
    expect(turns[0]!.text).toBe('book me in \ufffd');
    expect(await inboundRows(tenantId)).toHaveLength(1);
  });

  it('answers malformed parameters with 400 naming the parameter', async () => {
    const { number } = await makeTenant(db.pool);
    const { receptionist } = scriptedReceptionist(() => ({ reply: 'hi', events: [] }));
    const params = inboundParams({ from: 'not-a-phone', to: number, body: 'hi' });
    const response = await handlerFor(receptionist).handle(signedRequest(params));
    expect(response).toMatchObject({ status: 400 });
    expect(response.body).toContain('From: must be an E.164 phone number');
  });

  it('routes each of a tenant’s numbers to that tenant, and refuses a number another tenant holds', async () => {
    const first = await makeTenant(db.pool);
    const second = await makeTenant(db.pool);
    const extra = newPhone();
    await addPhoneNumber(db.pool, { tenantId: first.tenantId, number: extra, label: 'second line' });
    expect((await listPhoneNumbers(db.pool, first.tenantId)).map((n) => n.number)).toEqual([first.number, extra]);
    await expect(addPhoneNumber(db.pool, { tenantId: second.tenantId, number: extra })).rejects.toMatchObject({ code: 'VALIDATION', field: 'number' });
    // Each registration is audited with its change; the refused one left no entry.
    expect((await queryAudit(db.pool, { tenantId: first.tenantId, action: 'phone_number.add' })).entries).toHaveLength(2);
    expect((await queryAudit(db.pool, { tenantId: second.tenantId, action: 'phone_number.add' })).entries).toHaveLength(1);
    const { receptionist, turns } = scriptedReceptionist(() => ({ reply: 'ok', events: [] }));
    await handlerFor(receptionist).handle(signedRequest(inboundParams({ from: newPhone(), to: extra, body: 'hours?' })));
    expect(turns[0]?.tenantId).toBe(first.tenantId);
  });
});

describe('inbound SMS webhook: conversations', () => {
  it('sends every other message to the receptionist with the conversation of (tenant, phone) and the phone verified', async () => {
    const { tenantId, number } = await makeTenant(db.pool);
    const from = newPhone();
    const { receptionist, turns } = scriptedReceptionist(() => ({
      reply: 'Here are the **next** times:',
      events: [{ type: 'slots', serviceId: 's1', slots: [{ start: '2026-12-02T14:00:00Z', end: '2026-12-02T14:30:00Z', label: 'Wed Dec 2, 9:00 AM' }, { start: '2026-12-02T14:30:00Z', end: '2026-12-02T15:00:00Z', label: 'Wed Dec 2, 9:30 AM' }] }],
    }));
    const response = await handlerFor(receptionist).handle(signedRequest(inboundParams({ from, to: number, body: 'Cancel my appointment' })));
    expect(response).toMatchObject({ status: 200, contentType: 'text/xml; charset=utf-8' });
    expect(twimlMessage(response.body)).toBe('Here are the next times:\n1. Wed Dec 2, 9:00 AM\n2. Wed Dec 2, 9:30 AM\nReply with the number you want.');
    expect(turns).toEqual([{ tenantId, sessionId: expect.stringMatching(/^sms_[0-9a-f]{32}$/), channel: 'sms', text: 'Cancel my appointment', verifiedContact: { phone: from } }]);
    expect(await inboundRows(tenantId)).toEqual([expect.objectContaining({ kind: 'conversation', status: 'replied' })]);
    expect(await consentOf(tenantId, from)).toBeNull();
  });

  it('runs a retried MessageSid once and replies once', async () => {
    const { tenantId, number } = await makeTenant(db.pool);
    const { receptionist, turns } = scriptedReceptionist(() => ({ reply: 'Booked! Ref GM-AB123.', events: [] }));
    const handler = handlerFor(receptionist);
    const request = signedRequest(inboundParams({ from: newPhone(), to: number, body: '2' }));
    const [first, second] = [await handler.handle(request), await handler.handle(request)];
    expect(twimlMessage(first.body)).toBe('Booked! Ref GM-AB123.');
    expect(second.status).toBe(200);
    expect(twimlMessage(second.body)).toBeNull();
    expect(turns).toHaveLength(1);
    expect(await inboundRows(tenantId)).toHaveLength(1);
  });

  it('runs simultaneous deliveries of one MessageSid once', async () => {
    const { number } = await makeTenant(db.pool);
    const { receptionist, turns } = scriptedReceptionist(() => ({ reply: 'ok', events: [] }));
    const handler = handlerFor(receptionist);
    const request = signedRequest(inboundParams({ from: newPhone(), to: number, body: 'hours?' }));
    const responses = await Promise.all([handler.handle(request), handler.handle(request), handler.handle(request)]);
    expect(responses.map((r) => twimlMessage(r.body)).filter(Boolean)).toEqual(['ok']);
    expect(turns).toHaveLength(1);
  });

  it('acknowledges a slow turn with empty TwiML at the deadline and queues the reply in the outbox', async () => {
    const { tenantId, number } = await makeTenant(db.pool);
    const from = newPhone();
    const { receptionist } = scriptedReceptionist(() => new Promise((resolve) => setTimeout(() => resolve({ reply: 'Sorry for the wait — you’re booked.', events: [] }), 300)));
    const handler = handlerFor(receptionist, { replyTimeoutMs: 20 });
    const params = inboundParams({ from, to: number, body: 'book a cleaning tomorrow at 10' });
    const response = await handler.handle(signedRequest(params));
    expect(response.status).toBe(200);
    expect(twimlMessage(response.body)).toBeNull();
    await handler.drain();
    expect(await outboxOf(tenantId)).toEqual([{ recipient: from, body: "Sorry for the wait - you're booked.", idempotency_key: `sms-reply:${params.MessageSid}`, template: 'sms_reply' }]);
    expect(await inboundRows(tenantId)).toEqual([expect.objectContaining({ status: 'deferred', reply: "Sorry for the wait - you're booked." })]);
  });

  it('in outbox mode acknowledges at once and sends every reply through the outbox', async () => {
    const { tenantId, number } = await makeTenant(db.pool);
    const { receptionist } = scriptedReceptionist(() => ({ reply: 'We open at 9.', events: [] }));
    const handler = handlerFor(receptionist, { replyMode: 'outbox' });
    const response = await handler.handle(signedRequest(inboundParams({ from: newPhone(), to: number, body: 'when do you open?' })));
    expect(twimlMessage(response.body)).toBeNull();
    await handler.drain();
    expect((await outboxOf(tenantId)).map((row) => row.body)).toEqual(['We open at 9.']);
  });

  it('apologises instead of going silent when the receptionist fails, and reports the error', async () => {
    const { tenantId, number } = await makeTenant(db.pool);
    const errors: unknown[] = [];
    const { receptionist } = scriptedReceptionist(() => Promise.reject(new Error('model unavailable')));
    const response = await handlerFor(receptionist, { onError: (error) => errors.push(error) }).handle(signedRequest(inboundParams({ from: newPhone(), to: number, body: 'hi' })));
    expect(twimlMessage(response.body)).toMatch(/^Sorry, something went wrong/);
    expect(errors).toEqual([expect.objectContaining({ message: 'model unavailable' })]);
    expect(await inboundRows(tenantId)).toEqual([expect.objectContaining({ status: 'failed' })]);
  });

  it('queues the apology and reports the error when a turn fails after the deadline', async () => {
    const { tenantId, number } = await makeTenant(db.pool);
    const errors: unknown[] = [];
    const { receptionist } = scriptedReceptionist(() => new Promise((_resolve, reject) => setTimeout(() => reject(new Error('model timed out')), 100)));
    const handler = handlerFor(receptionist, { replyTimeoutMs: 10, onError: (error) => errors.push(error) });
    expect(twimlMessage((await handler.handle(signedRequest(inboundParams({ from: newPhone(), to: number, body: 'hi' })))).body)).toBeNull();
    await handler.drain();
    expect(errors).toEqual([expect.objectContaining({ message: 'model timed out' })]);
    expect((await outboxOf(tenantId)).map((row) => row.body)).toEqual([expect.stringMatching(/^Sorry, something went wrong/)]);
    expect(await inboundRows(tenantId)).toEqual([expect.objectContaining({ status: 'failed' })]);
  });

  it('asks for words when a picture arrives without text, without running a turn', async () => {
    const { number } = await makeTenant(db.pool);
    const { receptionist, turns } = scriptedReceptionist(() => ({ reply: 'x', events: [] }));
    const response = await handlerFor(receptionist).handle(signedRequest(inboundParams({ from: newPhone(), to: number, body: '', extra: { NumMedia: '1' } })));
    expect(twimlMessage(response.body)).toMatch(/only read text/);
    expect(turns).toHaveLength(0);
  });
});

describe('inbound SMS webhook: consent keywords', () => {
  it.each(optOutKeywords.map((keyword) => [keyword]))('records %s as an opt-out, audits it and confirms once', async (keyword) => {
    const { tenantId, number } = await makeTenant(db.pool);
    const from = newPhone();
    const { receptionist, turns } = scriptedReceptionist(() => ({ reply: 'x', events: [] }));
    const handler = handlerFor(receptionist);
    const response = await handler.handle(signedRequest(inboundParams({ from, to: number, body: ` ${keyword.toLowerCase()} ` })));
    const reply = twimlMessage(response.body);
    expect(reply).toMatch(/^Bright Smile Dental: you are unsubscribed and will get no more texts from us\. Reply START to resubscribe\./);
    expect(await consentOf(tenantId, from)).toEqual({ status: 'opted_out', source: 'sms_keyword', keyword });
    const audit = await queryAudit(db.pool, { tenantId, action: 'consent.opt_out' });
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({ actor: 'customer', channel: 'sms', outcome: 'succeeded', details: expect.objectContaining({ keyword, previous: 'unknown' }) });
    expect(turns).toHaveLength(0);
    // A second STOP changes nothing: no second confirmation, no second audit entry.
    const again = await handler.handle(signedRequest(inboundParams({ from, to: number, body: 'STOP' })));
    expect(twimlMessage(again.body)).toBeNull();
    expect((await queryAudit(db.pool, { tenantId, action: 'consent.opt_out' })).entries).toHaveLength(1);
  });

  it('honours "please stop texting me" as a revocation', async () => {
    const { tenantId, number } = await makeTenant(db.pool);
    const from = newPhone();
    const { receptionist, turns } = scriptedReceptionist(() => ({ reply: 'x', events: [] }));
    const response = await handlerFor(receptionist).handle(signedRequest(inboundParams({ from, to: number, body: 'Please stop texting me' })));
    expect(twimlMessage(response.body)).toMatch(/unsubscribed/);
    expect(await consentOf(tenantId, from)).toEqual({ status: 'opted_out', source: 'sms_phrase', keyword: 'PHRASE' });
    expect(turns).toHaveLength(0);
  });

  it('tells a customer who texted CANCEL how to cancel an appointment instead', async () => {
    const { number } = await makeTenant(db.pool);
    const { receptionist } = scriptedReceptionist(() => ({ reply: 'x', events: [] }));
    const response = await handlerFor(receptionist).handle(signedRequest(inboundParams({ from: newPhone(), to: number, body: 'CANCEL' })));
    expect(twimlMessage(response.body)).toContain('text START, then "cancel my appointment"');
  });

  it('answers nothing to an opted-out number and keeps it from the receptionist until START', async () => {
    const { tenantId, number } = await makeTenant(db.pool);
    const from = newPhone();
    const { receptionist, turns } = scriptedReceptionist(() => ({ reply: 'Sure, which day?', events: [] }));
    const base = handlerFor(receptionist);
    // One second apart, so the stored messages read back in the order they came.
    const handler = { handle: (request: Parameters<typeof base.handle>[0]) => (clock.advance(1000), base.handle(request)) };
    await handler.handle(signedRequest(inboundParams({ from, to: number, body: 'STOP' })));
    const ignored = await handler.handle(signedRequest(inboundParams({ from, to: number, body: 'book a cleaning' })));
    expect(twimlMessage(ignored.body)).toBeNull();
    expect(turns).toHaveLength(0);
    const start = await handler.handle(signedRequest(inboundParams({ from, to: number, body: 'Start' })));
    expect(twimlMessage(start.body)).toMatch(/^Bright Smile Dental: you are subscribed again.*Reply HELP for help, STOP to opt out\.$/);
    expect(await consentOf(tenantId, from)).toMatchObject({ status: 'opted_in', keyword: 'START' });
    expect((await queryAudit(db.pool, { tenantId, action: 'consent.opt_in' })).entries).toHaveLength(1);
    const after = await handler.handle(signedRequest(inboundParams({ from, to: number, body: 'book a cleaning' })));
    expect(twimlMessage(after.body)).toBe('Sure, which day?');
    expect((await inboundRows(tenantId)).map((row) => row.kind)).toEqual(['keyword', 'ignored', 'keyword', 'conversation']);
  });

  it('treats YES as an opt-in only from an opted-out number; otherwise it answers the receptionist', async () => {
    const { tenantId, number } = await makeTenant(db.pool);
    const from = newPhone();
    const { receptionist, turns } = scriptedReceptionist(() => ({ reply: 'Booked!', events: [] }));
    const handler = handlerFor(receptionist);
    expect(twimlMessage((await handler.handle(signedRequest(inboundParams({ from, to: number, body: 'yes' })))).body)).toBe('Booked!');
    expect(turns.map((t) => t.text)).toEqual(['yes']);
    await handler.handle(signedRequest(inboundParams({ from, to: number, body: 'STOP' })));
    expect(twimlMessage((await handler.handle(signedRequest(inboundParams({ from, to: number, body: 'YES' })))).body)).toMatch(/subscribed again/);
    expect(await consentOf(tenantId, from)).toMatchObject({ status: 'opted_in', keyword: 'YES' });
    expect(turns).toHaveLength(1);
  });

  it('answers HELP with the business name, what the messages are, how to stop, and the help contact', async () => {
    const { tenantId, number } = await makeTenant(db.pool, { sms: { helpContact: 'call (202) 555-0100' } });
    const from = newPhone();
    const { receptionist, turns } = scriptedReceptionist(() => ({ reply: 'x', events: [] }));
    const reply = twimlMessage((await handlerFor(receptionist).handle(signedRequest(inboundParams({ from, to: number, body: 'help' })))).body);
    expect(reply).toBe(
      'Bright Smile Dental: automated texts about your appointments (booking, changes, reminders). Text us to book, move or cancel. Need a person? call (202) 555-0100. Msg & data rates may apply. Reply STOP to opt out.',
    );
    expect(turns).toHaveLength(0);
    expect(await consentOf(tenantId, from)).toBeNull();
  });

  it('keeps consent per tenant: a STOP to one business does not stop another', async () => {
    const first = await makeTenant(db.pool);
    const second = await makeTenant(db.pool);
    const from = newPhone();
    const { receptionist, turns } = scriptedReceptionist(() => ({ reply: 'Hi!', events: [] }));
    const handler = handlerFor(receptionist);
    await handler.handle(signedRequest(inboundParams({ from, to: first.number, body: 'STOP' })));
    expect(twimlMessage((await handler.handle(signedRequest(inboundParams({ from, to: second.number, body: 'hello' })))).body)).toBe('Hi!');
    expect(turns).toHaveLength(1);
    expect(await consentOf(second.tenantId, from)).toBeNull();
  });

  it('writes the consent change and its audit entry together or not at all', async () => {
    const { tenantId, number } = await makeTenant(db.pool);
    const from = newPhone();
    const { receptionist } = scriptedReceptionist(() => ({ reply: 'x', events: [] }));
    const failingAudit = { appendAudit: () => Promise.reject(new Error('audit log unavailable')) };
    const request = signedRequest(inboundParams({ from, to: number, body: 'STOP' }));
    await expect(handlerFor(receptionist, { policy: failingAudit }).handle(request)).rejects.toThrow('audit log unavailable');
    expect(await consentOf(tenantId, from)).toBeNull();
    expect(await inboundRows(tenantId)).toEqual([]);
    // Twilio's retry of the same message then succeeds: nothing was half-recorded.
    expect(twimlMessage((await handlerFor(receptionist).handle(request)).body)).toMatch(/unsubscribed/);
    expect(await consentOf(tenantId, from)).toMatchObject({ status: 'opted_out' });
  });
});

describe('createInboundSmsHandler', () => {
  it.each([
    [{ authToken: '' }, 'authToken'],
    [{ publicBaseUrl: 'api.example.com' }, 'publicBaseUrl'],
    [{ replyTimeoutMs: 20_000 }, 'replyTimeoutMs'],
  ])('refuses the configuration %j naming %s', (override, field) => {
    const { receptionist } = scriptedReceptionist(() => ({ reply: 'x', events: [] }));
    expect(() => handlerFor(receptionist, override)).toThrow(expect.objectContaining({ code: 'CONFIGURATION', field }));
  });

});

describe('inbound SMS webhook: Twilio Advanced Opt-Out', () => {
  it('follows OptOutType for a keyword of the operator’s own list and leaves the reply to Twilio', async () => {
    const { tenantId, number } = await makeTenant(db.pool);
    const from = newPhone();
    const { receptionist, turns } = scriptedReceptionist(() => ({ reply: 'x', events: [] }));
    const handler = handlerFor(receptionist);
    const stop = await handler.handle(signedRequest(inboundParams({ from, to: number, body: 'Arrêt', extra: { OptOutType: 'STOP' } })));
    expect(stop.status).toBe(200);
    expect(twimlMessage(stop.body)).toBeNull();
    expect(await consentOf(tenantId, from)).toEqual({ status: 'opted_out', source: 'sms_keyword', keyword: 'ARRÊT' });
    await handler.handle(signedRequest(inboundParams({ from, to: number, body: 'START', extra: { OptOutType: 'START' } })));
    expect(await consentOf(tenantId, from)).toMatchObject({ status: 'opted_in' });
    expect(turns).toHaveLength(0);
  });
});
