// Issue 20 item 1: a booking is shown or changed only once the conversation proved the contact on
// it with a one-time code. The code sender is the receptionist's port (the server wires it to the
// channels outbox, tested in apps/api); here it keeps what it was handed, as the outbox would.
import { createBookingEngine, updateTenantSettings, withTenant, type Appointment, type BookingEngine } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReceptionist, type Brain, type Receptionist } from '../src/index.js';
import type { CodeMessage } from '../src/identity/codes.js';
import { appointments, createWorld, ny, type World } from './support.js';

let world: World;
let engine: BookingEngine;
let receptionist: Receptionist;
const sent: CodeMessage[] = [];

beforeAll(async () => {
  world = await createWorld();
  engine = createBookingEngine({ pool: world.pool, clock: world.clock });
  receptionist = createReceptionist({
    pool: world.pool,
    engine,
    policy: world.policy,
    clock: world.clock,
    codeSender: async (_client, message) => {
      sent.push(message);
    },
  });
});
afterAll(async () => world.db.drop());

let seeded = 0;
async function seedBooking(client: { name: string; email?: string; phone?: string }, hour = 9): Promise<Appointment> {
  seeded += 1;
  const sessionId = `seed-${seeded}`;
  const start = ny(`2026-03-${String(9 + (seeded % 5)).padStart(2, '0')}T${String(hour + Math.floor(seeded / 5)).padStart(2, '0')}:00`);
  const hold = await engine.hold({ tenantId: world.tenant.id, serviceId: world.services.consultation, start, sessionId });
  return engine.confirm({ tenantId: world.tenant.id, holdId: hold.id, sessionId, client });
}

function chat(sessionId: string, extra: { channel?: 'web' | 'sms'; verifiedPhone?: string; clientAddress?: string } = {}) {
  return (text: string) =>
    receptionist.handleTurn({
      tenantId: world.tenant.id,
      sessionId,
      channel: extra.channel ?? 'web',
      text,
      clientAddress: extra.clientAddress ?? `10.0.0.${sessionId.length}`,
      ...(extra.verifiedPhone ? { verifiedContact: { phone: extra.verifiedPhone } } : {}),
    });
}

async function statusOf(reference: string): Promise<string> {
  return (await appointments(world)).find((a) => a.reference === reference)!.status;
}

const lastCode = (): string => sent.at(-1)!.code;

describe('one-time codes before a booking changes', () => {
  it('sends a 6-digit code to the email on the booking before a cancel, and shows nothing of the booking yet', async () => {
    const booking = await seedBooking({ name: 'Ana Code', email: 'ana.code@example.com' });
    const say = chat('code-sent');
    const before = sent.length;
    const reply = await say(`Please cancel ${booking.reference}, ana.code@example.com`);
    expect(reply.reply).toMatch(/sent a 6-digit code to the email address on booking .* \(a\*\*\*@example\.com\)/);
    expect(reply.reply).not.toMatch(/Consultation/);
    expect(sent.length).toBe(before + 1);
    expect(sent.at(-1)).toMatchObject({ channel: 'email', recipient: 'ana.code@example.com', tenantId: world.tenant.id });
    expect(lastCode()).toMatch(/^\d{6}$/);
    expect(sent.at(-1)!.expiresAt.getTime() - world.clock.now().getTime()).toBe(600_000);
  });

  it('lets a proven contact act: the right code, then the summary, then a yes cancels', async () => {
    const booking = await seedBooking({ name: 'Bo Proven', email: 'bo@example.com' });
    const say = chat('code-proven');
    await say(`cancel ${booking.reference} bo@example.com`);
    const found = await say(lastCode());
    expect(found.reply).toMatch(new RegExp(`I found your Consultation on .* \\(${booking.reference}\\)\\. Shall I cancel it\\?`));
    const done = await say('yes');
    expect(done.reply).toMatch(/has been cancelled/);
    expect(await statusOf(booking.reference)).toBe('cancelled');
  });

  it('keeps the contact proven for the rest of the conversation', async () => {
    const first = await seedBooking({ name: 'Cy Twice', email: 'cy@example.com' });
    const second = await seedBooking({ name: 'Cy Twice', email: 'cy@example.com' }, 11);
    const say = chat('code-stays-proven');
    const before = sent.length;
    await say(`cancel ${first.reference} cy@example.com`);
    await say(lastCode());
    await say('yes');
    const again = await say(`also cancel ${second.reference} cy@example.com`);
    expect(again.reply).toMatch(/Shall I cancel it\?/);
    expect(sent.length).toBe(before + 1);
    await say('yes');
    expect(await statusOf(second.reference)).toBe('cancelled');
  });

  it('locks the code after five wrong tries, even against the right digits', async () => {
    const booking = await seedBooking({ name: 'Di Locked', email: 'di@example.com' });
    const say = chat('code-locked');
    await say(`cancel ${booking.reference} di@example.com`);
    const right = lastCode();
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 4; i++) expect((await say(wrong)).reply).toMatch(new RegExp(`doesn't match.*\\(${5 - i} tr(y|ies) left\\)`));
    expect((await say(wrong)).reply).toMatch(/locked after too many wrong tries/);
    const late = await say(`cancel ${booking.reference} di@example.com`);
    expect(late.reply).toMatch(/sent a 6-digit code|can't send another/);
    // The locked code itself proves nothing any more.
    const { rows } = await world.pool.query<{ attempts: number; proven_at: Date | null }>('SELECT attempts, proven_at FROM agent_contact_codes WHERE session_id = $1 ORDER BY id', ['code-locked']);
    expect(rows[0]).toMatchObject({ attempts: 5, proven_at: null });
    expect(await statusOf(booking.reference)).toBe('booked');
  });

  it('refuses an expired code and sends a new one on request', async () => {
    const booking = await seedBooking({ name: 'Ed Late', email: 'ed@example.com' });
    const say = chat('code-expired');
    await say(`cancel ${booking.reference} ed@example.com`);
    const old = lastCode();
    world.clock.advance(601_000);
    expect((await say(old)).reply).toMatch(/That code has expired/);
    expect((await say('send a new code please')).reply).toMatch(/sent a 6-digit code/);
    expect((await say(lastCode())).reply).toMatch(/Shall I cancel it\?/);
  });

  it('never writes a code in clear: not in the audit log, not in the codes table', async () => {
    const codes = sent.map((m) => m.code);
    expect(codes.length).toBeGreaterThan(3);
    const audit = await world.pool.query<{ row: string }>('SELECT row_to_json(a)::text AS row FROM audit_log a WHERE tenant_id = $1', [world.tenant.id]);
    const stored = await world.pool.query<{ row: string }>('SELECT row_to_json(c)::text AS row FROM agent_contact_codes c WHERE tenant_id = $1', [world.tenant.id]);
    for (const code of codes) {
      expect(audit.rows.filter((r) => r.row.includes(code))).toEqual([]);
      expect(stored.rows.filter((r) => r.row.includes(code))).toEqual([]);
    }
    expect(audit.rows.some((r) => r.row.includes('verify_code'))).toBe(true);
  });

  it('needs no code on SMS from the number on the booking', async () => {
    const booking = await seedBooking({ name: 'Fa Sms', phone: '+15550001111' });
    const say = chat('sms:code-own-number', { channel: 'sms', verifiedPhone: '+15550001111' });
    const before = sent.length;
    const found = await say(`cancel ${booking.reference}`);
    expect(found.reply).toMatch(/Shall I cancel it\?/);
    await say('yes');
    expect(await statusOf(booking.reference)).toBe('cancelled');
    expect(sent.length).toBe(before);
  });

  it('limits the codes sent to one contact', async () => {
    const booking = await seedBooking({ name: 'Gi Many', email: 'gi@example.com' });
    const replies: string[] = [];
    for (let i = 0; i < 4; i++) replies.push((await chat(`code-rate-${i}`, { clientAddress: `10.1.0.${i}` })(`cancel ${booking.reference} gi@example.com`)).reply);
    expect(replies.slice(0, 3).every((r) => /sent a 6-digit code/.test(r))).toBe(true);
    expect(replies[3]).toMatch(/can't send another security code/);
  });

  it('refuses a model that goes straight to cancel_booking without a proven contact', async () => {
    const booking = await seedBooking({ name: 'Hu Model', email: 'hu@example.com' });
    const results: unknown[] = [];
    const brain: Brain = {
      name: 'scripted',
      historyLimit: 0,
      async respond(turn) {
        results.push(await turn.callTool('cancel_booking', { reference: booking.reference, email: 'hu@example.com' }));
        return { text: 'Let me check.' };
      },
    };
    const modelReceptionist = createReceptionist({ pool: world.pool, engine, policy: world.policy, clock: world.clock, brain, codeSender: async () => undefined });
    await modelReceptionist.handleTurn({ tenantId: world.tenant.id, sessionId: 'code-model', channel: 'web', text: 'yes, cancel it' });
    expect(results[0]).toMatchObject({ ok: false, code: 'GUARDRAIL', guard: 'code-required' });
    expect(await statusOf(booking.reference)).toBe('booked');
  });

  it('follows the tenant: no code for a cancel it does not protect, a code for a lookup it does', async () => {
    const booking = await seedBooking({ name: 'Io Tenant', email: 'io@example.com' });
    const tenantReceptionist = createReceptionist({ pool: world.pool, engine, policy: world.policy, clock: world.clock, config: { catalogCacheMs: 0 }, codeSender: async (_c, m) => void sent.push(m) });
    const turn = (sessionId: string) => (text: string) => tenantReceptionist.handleTurn({ tenantId: world.tenant.id, sessionId, channel: 'web', text });
    const settle = (identityCodes: Record<string, boolean>) => withTenant(world.pool, world.tenant.id, (client) => updateTenantSettings(client, world.tenant.id, { settings: { identityCodes } }));
    try {
      await settle({ cancel: false });
      expect((await turn('tenant-cancel')(`cancel ${booking.reference} io@example.com`)).reply).toMatch(/Shall I cancel it\?/);
      await settle({ lookup: true });
      expect((await turn('tenant-lookup')(`when is my appointment ${booking.reference} io@example.com`)).reply).toMatch(/sent a 6-digit code/);
    } finally {
      await withTenant(world.pool, world.tenant.id, (client) => updateTenantSettings(client, world.tenant.id, { settings: {} }));
    }
  });
});
