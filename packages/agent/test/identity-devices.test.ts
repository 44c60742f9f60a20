// Issue 20 item 2: "Remember me on this device". A web conversation that proved its contact with a
// one-time code may leave the browser a device token (tenant setting, default off); a later
// conversation opened with it starts with the contact proven: greeted by name, and a cancel needs no
// new code. Expired, revoked, foreign-tenant and foreign-origin tokens leave the visitor a stranger.
import { createBookingEngine, createTenant, demoTenantInput, updateTenantSettings, withTenant, type Appointment, type BookingEngine } from '@gomomo/core';
import { recordStatements } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReceptionist, type Receptionist } from '../src/index.js';
import type { CodeMessage } from '../src/identity/codes.js';
import { appointments, createWorld, ny, type World } from './support.js';

const site = 'https://clinic.example';
let world: World;
let engine: BookingEngine;
let receptionist: Receptionist;
const sent: CodeMessage[] = [];

beforeAll(async () => {
  world = await createWorld({ tenant: { settings: { rememberDevice: { enabled: true, days: 30 } } } });
  engine = createBookingEngine({ pool: world.pool, clock: world.clock });
  receptionist = createReceptionist({ pool: world.pool, engine, policy: world.policy, clock: world.clock, codeSender: async (_client, message) => void sent.push(message) });
});
afterAll(async () => world.db.drop());

let seeded = 0;
async function seedBooking(client: { name: string; email: string }): Promise<Appointment> {
  seeded += 1;
  const weekdays = [9, 10, 11, 12, 13, 16, 17, 18, 19, 20];
  const start = ny(`2026-03-${weekdays[seeded % weekdays.length]}T${String(10 + Math.floor(seeded / weekdays.length)).padStart(2, '0')}:00`);
  const hold = await engine.hold({ tenantId: world.tenant.id, serviceId: world.services.consultation, start, sessionId: `seed-${seeded}` });
  return engine.confirm({ tenantId: world.tenant.id, holdId: hold.id, sessionId: `seed-${seeded}`, client });
}

function say(sessionId: string, text: string) {
  return receptionist.handleTurn({ tenantId: world.tenant.id, sessionId, channel: 'web', text, clientAddress: '10.0.0.7' });
}

/** A conversation that proves `email` with the code sent there; resolves to its session id. */
async function proveByCode(sessionId: string, booking: Appointment, email: string): Promise<string> {
  await say(sessionId, `cancel ${booking.reference} ${email}`);
  const found = await say(sessionId, sent.at(-1)!.code);
  expect(found.reply).toMatch(/Shall I cancel it\?/);
  await say(sessionId, 'no, keep it');
  return sessionId;
}

async function remembered(sessionId: string): Promise<string> {
  const result = await receptionist.devices.remember({ tenantId: world.tenant.id, sessionId, origin: site });
  if (!result.remembered) throw new Error(`not remembered: ${result.reason}`);
  return result.token;
}

async function openWith(token: string, origin = site, tenantId = world.tenant.id) {
  const { sessionId } = await receptionist.startConversation({ tenantId, channel: 'web' });
  return { sessionId, result: await receptionist.devices.open({ tenantId, sessionId, token, origin }) };
}

describe('remember me on this device', () => {
  it('offers nothing before the contact is proven, and remembers it once a code proved it', async () => {
    const booking = await seedBooking({ name: 'Ana Device', email: 'ana.device@example.com' });
    await say('device-offer', 'hello');
    expect(await receptionist.devices.canRemember({ tenantId: world.tenant.id, sessionId: 'device-offer' })).toBe(false);
    expect(await receptionist.devices.remember({ tenantId: world.tenant.id, sessionId: 'device-offer', origin: site })).toEqual({ remembered: false, reason: 'not-proven' });
    await proveByCode('device-offer', booking, 'ana.device@example.com');
    expect(await receptionist.devices.canRemember({ tenantId: world.tenant.id, sessionId: 'device-offer' })).toBe(true);
    const token = await remembered('device-offer');
    expect(token).toMatch(/^gmd_[A-Za-z0-9_-]{43}$/);
    expect(token).not.toContain('ana');
    // Offered once: the conversation now holds its device.
    expect(await receptionist.devices.canRemember({ tenantId: world.tenant.id, sessionId: 'device-offer' })).toBe(false);
  });

  it('opens a later conversation with the contact proven: greeted by name, and a cancel needs no new code', async () => {
    const booking = await seedBooking({ name: 'Bo Device', email: 'bo.device@example.com' });
    const token = await remembered(await proveByCode('device-later', booking, 'bo.device@example.com'));
    const { sessionId, result } = await openWith(token);
    expect(result).toEqual({ opened: true });
    expect((await say(sessionId, 'Hi!')).reply).toMatch(/^Welcome back, Bo!/);
    const codesBefore = sent.length;
    const found = await say(sessionId, `please cancel ${booking.reference} bo.device@example.com`);
    expect(found.reply).toMatch(/Shall I cancel it\?/);
    await say(sessionId, 'yes');
    expect(sent.length).toBe(codesBefore);
    expect((await appointments(world)).find((a) => a.reference === booking.reference)!.status).toBe('cancelled');
  });

  it('refuses an expired device token', async () => {
    const booking = await seedBooking({ name: 'Cy Expired', email: 'cy.expired@example.com' });
    const token = await remembered(await proveByCode('device-expired', booking, 'cy.expired@example.com'));
    world.clock.advance(31 * 86_400_000);
    try {
      const { sessionId, result } = await openWith(token);
      expect(result).toEqual({ opened: false, reason: 'expired' });
      expect((await say(sessionId, 'Hi!')).reply).not.toMatch(/Welcome back/);
    } finally {
      world.clock.advance(-31 * 86_400_000);
    }
  });

  it('refuses a token the customer revoked ("forget this device") and one staff revoked with all the customer\'s devices', async () => {
    const booking = await seedBooking({ name: 'Di Revoked', email: 'di.revoked@example.com' });
    const forgotten = await remembered(await proveByCode('device-forget', booking, 'di.revoked@example.com'));
    expect(await receptionist.devices.forget({ tenantId: world.tenant.id, token: forgotten })).toBe(true);
    expect((await openWith(forgotten)).result).toEqual({ opened: false, reason: 'revoked' });
    const first = await remembered(await proveByCode('device-staff-1', booking, 'di.revoked@example.com'));
    const second = await remembered(await proveByCode('device-staff-2', booking, 'di.revoked@example.com'));
    expect(await receptionist.devices.revokeForCustomer({ tenantId: world.tenant.id, email: 'DI.revoked@example.com' })).toBe(2);
    expect((await openWith(first)).result).toEqual({ opened: false, reason: 'revoked' });
    expect((await openWith(second)).result).toEqual({ opened: false, reason: 'revoked' });
    // A conversation the revoked device opened earlier no longer counts the contact as proven.
    expect(await receptionist.devices.canRemember({ tenantId: world.tenant.id, sessionId: 'device-staff-1' })).toBe(false);
  });

  it("refuses another tenant's token as unknown", async () => {
    const booking = await seedBooking({ name: 'Eve Tenant', email: 'eve.tenant@example.com' });
    const token = await remembered(await proveByCode('device-tenant', booking, 'eve.tenant@example.com'));
    const other = await createTenant(world.pool, { ...demoTenantInput, slug: `other-${Math.random().toString(36).slice(2, 8)}`, settings: { rememberDevice: { enabled: true } } });
    expect((await openWith(token, site, other.id)).result).toEqual({ opened: false, reason: 'unknown' });
  });

  it('refuses a stolen token presented from another origin', async () => {
    const booking = await seedBooking({ name: 'Fay Origin', email: 'fay.origin@example.com' });
    const token = await remembered(await proveByCode('device-origin', booking, 'fay.origin@example.com'));
    const { sessionId, result } = await openWith(token, 'https://evil.example');
    expect(result).toEqual({ opened: false, reason: 'origin' });
    expect((await say(sessionId, 'Hi!')).reply).not.toMatch(/Welcome back/);
  });

  it('offers nothing and remembers nothing when the tenant has not turned it on', async () => {
    const booking = await seedBooking({ name: 'Gus Off', email: 'gus.off@example.com' });
    await withTenant(world.pool, world.tenant.id, (client) => updateTenantSettings(client, world.tenant.id, { settings: {} }));
    try {
      await proveByCode('device-off', booking, 'gus.off@example.com');
      expect(await receptionist.devices.canRemember({ tenantId: world.tenant.id, sessionId: 'device-off' })).toBe(false);
      expect(await receptionist.devices.remember({ tenantId: world.tenant.id, sessionId: 'device-off', origin: site })).toEqual({ remembered: false, reason: 'disabled' });
    } finally {
      await withTenant(world.pool, world.tenant.id, (client) => updateTenantSettings(client, world.tenant.id, { settings: { rememberDevice: { enabled: true, days: 30 } } }));
    }
  });

  it('keeps the token and the contact out of the stored row and the audit log', async () => {
    const booking = await seedBooking({ name: 'Hal Stored', email: 'hal.stored@example.com' });
    const token = await remembered(await proveByCode('device-stored', booking, 'hal.stored@example.com'));
    await openWith(token);
    const rows = await world.pool.query<{ row: string }>('SELECT row_to_json(d)::text AS row FROM agent_device_tokens d WHERE tenant_id = $1', [world.tenant.id]);
    const audits = await world.pool.query<{ row: string }>("SELECT row_to_json(a)::text AS row FROM audit_log a WHERE tenant_id = $1 AND action LIKE 'device.%'", [world.tenant.id]);
    expect(audits.rows.length).toBeGreaterThan(0);
    for (const { row } of [...rows.rows, ...audits.rows]) {
      expect(row).not.toContain(token);
      expect(row).not.toContain(token.slice(4));
      expect(row).not.toContain('hal.stored');
    }
  });

  it('stops offering the moment the tenant turns it off, and asks in one statement then', async () => {
    const booking = await seedBooking({ name: 'Ivy Switch', email: 'ivy.switch@example.com' });
    // From an address of its own: the file's other conversations spent this one's code sends.
    const from = (text: string) => receptionist.handleTurn({ tenantId: world.tenant.id, sessionId: 'device-switch', channel: 'web', text, clientAddress: '10.0.0.8' });
    await from(`cancel ${booking.reference} ivy.switch@example.com`);
    expect((await from(sent.at(-1)!.code)).reply).toMatch(/Shall I cancel it\?/);
    await from('no, keep it');
    expect(await receptionist.devices.canRemember({ tenantId: world.tenant.id, sessionId: 'device-switch' })).toBe(true);
    await withTenant(world.pool, world.tenant.id, (client) => updateTenantSettings(client, world.tenant.id, { settings: {} }));
    try {
      const { result, names } = await recordStatements(world.pool, () => receptionist.devices.canRemember({ tenantId: world.tenant.id, sessionId: 'device-switch' }));
      expect(result).toBe(false);
      expect(names).toEqual(['gomomo_agent_device_offer_state']);
    } finally {
      await withTenant(world.pool, world.tenant.id, (client) => updateTenantSettings(client, world.tenant.id, { settings: { rememberDevice: { enabled: true, days: 30 } } }));
    }
  });
});
