// Issue 14 item 2, the web half: a waitlist offer's email carries a link to the tenant's site with a
// single-use token in the URL fragment; opening it (the receptionist's `openOffer`, what the widget
// calls) starts a new conversation holding the slot, whose "yes" books exactly the offered slot.
// Real worker tasks, real receptionist (offline brain), real SMS webhook path; manual clock.
import { createReceptionist, issueOfferLink, type Receptionist } from '@gomomo/agent';
import { addPhoneNumber, createInboundSmsHandler, type InboundSmsHandler } from '@gomomo/channels';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installQueue } from '../src/queue/install.js';
import { book, makeHarness, makeTenant, outboxOf, runDueJobs, type Harness } from './helpers.js';

const authToken = 'offer-link-auth-token';
const publicBaseUrl = 'https://api.gomomo.test';
const siteUrl = 'https://clinic.example/book?from=email';
let db: TestDatabase;
let h: Harness;
let receptionist: Receptionist;
let sms: InboundSmsHandler;
let counter = 0;

function newPhone(): string {
  counter += 1;
  return `+1202556${String(3000 + counter)}`;
}

async function text(input: { from: string; to: string }, body: string): Promise<string | null> {
  counter += 1;
  const sid = `SM${String(counter).padStart(32, '0')}`;
  const params = { MessageSid: sid, SmsMessageSid: sid, AccountSid: `AC${'0'.repeat(32)}`, From: input.from, To: input.to, Body: body, NumMedia: '0', NumSegments: '1' };
  const signature = twilio.getExpectedTwilioSignature(authToken, `${publicBaseUrl}/twilio/sms`, params);
  const response = await sms.handle({ url: '/twilio/sms', headers: { 'x-twilio-signature': signature }, body: params });
  expect(response.status).toBe(200);
  const match = /<Message>([\s\S]*?)<\/Message>/.exec(response.body);
  return match ? match[1]!.replace(/&apos;/g, "'").replace(/&amp;/g, '&') : null;
}

/** A tenant whose slot, booked by Ana, is cancelled and offered to Bea (phone and email). */
async function offerToBea(settings: Record<string, unknown>) {
  const tenant = await makeTenant(db.pool, settings);
  const clinic = newPhone();
  await addPhoneNumber(db.pool, { tenantId: tenant.id, number: clinic });
  const bea = newPhone();
  const appointment = await book(h.engine, tenant, { name: 'Ana', email: 'ana@example.com' });
  await h.engine.joinWaitlist({ tenantId: tenant.id, serviceId: tenant.serviceId, windowStart: '2026-12-01', windowEnd: '2026-12-10', client: { name: 'Bea', phone: bea, email: 'bea@example.com' } });
  await runDueJobs(db.pool, h.tasks);
  await h.engine.cancel({ tenantId: tenant.id, reference: appointment.reference, verify: { staff: true } });
  await runDueJobs(db.pool, h.tasks);
  const outbox = await outboxOf(db.pool, tenant.id);
  const email = outbox.find((r) => r.template === 'waitlist_offer' && r.channel === 'email');
  const offerToken = /#gomomo-offer=(gmo_[A-Za-z0-9_-]{43})/.exec(email?.body ?? '')?.[1];
  return { tenant, clinic, bea, appointment, email, offerToken };
}

async function bookedAt(tenantId: string, start: string) {
  const { rows } = await db.pool.query('SELECT client_name AS name, session_id AS "sessionId" FROM appointments WHERE tenant_id = $1 AND starts_at = $2 AND status = $3', [tenantId, new Date(start), 'booked']);
  return rows;
}

beforeAll(async () => {
  db = await createTestDatabase();
  await installQueue(db.pool);
});
afterAll(async () => db?.drop());

beforeEach(() => {
  h = makeHarness(db.pool, { issueOfferLink });
  receptionist = createReceptionist({ pool: db.pool, engine: h.engine, policy: h.policy, clock: h.clock });
  sms = createInboundSmsHandler({ pool: db.pool, receptionist, authToken, publicBaseUrl, clock: h.clock, replyMode: 'twiml' });
});

describe('waitlist offer links', () => {
  it('the offer email carries a link to the site with the token in the fragment, stored only hashed', async () => {
    const { tenant, email, offerToken } = await offerToBea({ siteUrl });
    expect(email?.body).toContain(`https://clinic.example/book?from=email#gomomo-offer=${offerToken}`);
    expect(offerToken).toBeDefined();
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM agent_offer_links WHERE tenant_id = $1 AND token_hash = sha256(convert_to($2, \'UTF8\'))', [tenant.id, offerToken]);
    expect(rows[0].n).toBe(1);
    const actions = await db.pool.query('SELECT detail::text AS detail FROM autonomy_actions WHERE tenant_id = $1', [tenant.id]);
    expect(actions.rows.some((r: { detail: string }) => r.detail.includes(offerToken!))).toBe(false);
  });

  it('no site URL, no link: the email asks for a reply', async () => {
    const { email } = await offerToBea({});
    expect(email?.body).toMatch(/Reply or chat with us to book it/);
    expect(email?.body).not.toContain('gomomo-offer');
  });

  it('opening the link starts a conversation showing the offer; its yes books exactly the offered slot, and the SMS thread can no longer confirm it', async () => {
    const { tenant, clinic, bea, appointment, offerToken } = await offerToBea({ siteUrl });
    const opened = await receptionist.openOffer({ tenantId: tenant.id, offerToken: offerToken! });
    expect(opened?.reply).toMatch(/^To confirm: .* for Bea \(.+\)\. Shall I book it\?$/);
    expect(opened?.token).toMatch(/^gms_/);
    // The SMS conversation proves Bea's phone, but the offer now belongs to the link's conversation.
    expect(await text({ from: bea, to: clinic }, 'YES')).not.toMatch(/You're booked/);
    expect(await bookedAt(tenant.id, appointment.start)).toEqual([]);
    const done = await receptionist.handleTurn({ tenantId: tenant.id, sessionId: opened!.sessionId, channel: 'web', text: 'yes' });
    expect(done.reply).toMatch(/^You're booked: .*Your reference is GM-/);
    expect(await bookedAt(tenant.id, appointment.start)).toEqual([{ name: 'Bea', sessionId: opened!.sessionId }]);
  });

  it('a link opens once: the second opening finds nothing and starts no conversation', async () => {
    const { tenant, offerToken } = await offerToBea({ siteUrl });
    expect(await receptionist.openOffer({ tenantId: tenant.id, offerToken: offerToken! })).not.toBeNull();
    const before = await db.pool.query('SELECT count(*)::int AS n FROM agent_sessions WHERE tenant_id = $1', [tenant.id]);
    expect(await receptionist.openOffer({ tenantId: tenant.id, offerToken: offerToken! })).toBeNull();
    const after = await db.pool.query('SELECT count(*)::int AS n FROM agent_sessions WHERE tenant_id = $1', [tenant.id]);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('a link lapses with its hold', async () => {
    const { tenant, offerToken } = await offerToBea({ siteUrl });
    h.clock.advance(15 * 60_000 + 1000);
    expect(await receptionist.openOffer({ tenantId: tenant.id, offerToken: offerToken! })).toBeNull();
  });

  it("another tenant's link finds nothing, and stays usable by its own tenant", async () => {
    const { tenant, offerToken } = await offerToBea({ siteUrl });
    const other = await makeTenant(db.pool, { siteUrl });
    expect(await receptionist.openOffer({ tenantId: other.id, offerToken: offerToken! })).toBeNull();
    expect(await receptionist.openOffer({ tenantId: other.id, offerToken: 'gmo_' + 'A'.repeat(43) })).toBeNull();
    expect(await receptionist.openOffer({ tenantId: tenant.id, offerToken: offerToken! })).not.toBeNull();
  });
});
