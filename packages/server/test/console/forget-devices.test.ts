// "Sign this customer out of remembered devices" from the console (issue 20 item 2): where staff see
// a booking or a conversation, an owner or a staff member revokes every device remembered for that
// customer; the device's next visit is a stranger's again. Audited with the staff id, never the contact.
import type { CodeMessage } from '@gomomo/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, trpcData, trpcError, type Harness, type TestTenant } from '../harness.js';
import { asStaff, createOwner, ownerPassword, signIn, type ConsoleSession } from './support.js';

let h: Harness;
let clinic: TestTenant;
let other: TestTenant;
let owner: ConsoleSession;
let staff: ConsoleSession;
let otherOwner: ConsoleSession;
const codes: CodeMessage[] = [];

type Sent = { reply: string; sessionId: string; sessionToken?: string; device?: string };

beforeAll(async () => {
  h = await createHarness({ withReceptionist: true, codeSender: async (_client, message) => void codes.push(message) });
  clinic = await h.onboard('forget-clinic', 'https://clinic.example');
  other = await h.onboard('forget-other', 'https://other.example');
  await h.call('tenant.update', { settings: { rememberDevice: { enabled: true } } }, { key: clinic.secretKey });
  await createOwner(h, clinic, 'owner@forget.example');
  await createOwner(h, other, 'owner@other.example');
  owner = await signIn(h, { tenant: 'forget-clinic', email: 'owner@forget.example', password: ownerPassword });
  otherOwner = await signIn(h, { tenant: 'forget-other', email: 'owner@other.example', password: ownerPassword });
  trpcData(await asStaff(h, owner, 'console.auth.invite', { email: 'desk@forget.example', role: 'staff' }));
  const { rows } = await h.db.pool.query<{ body: string }>(`SELECT body FROM notification_outbox WHERE tenant_id = $1 AND template = 'staff_invite'`, [clinic.id]);
  const token = /#\/accept\/([\w-]+)/.exec(rows[0]!.body)![1]!;
  trpcData(await h.call('console.auth.acceptInvite', { token, name: 'Desk', password: 'desk password 1' }, { headers: { 'x-gomomo-csrf': '1' } }));
  staff = await signIn(h, { tenant: 'forget-clinic', email: 'desk@forget.example', password: 'desk password 1' });
});
afterAll(() => h.close());

let slot = 0;
async function seedBooking(email: string): Promise<string> {
  slot += 1;
  const start = `2026-12-0${2 + (slot % 3)}T${14 + Math.floor(slot / 3)}:00:00Z`;
  const hold = trpcData<{ id: string }>(await h.call('bookings.hold', { serviceId: clinic.serviceId, start, resourceId: clinic.resourceId, sessionId: `forget-seed-${slot}` }, { key: clinic.secretKey }));
  return trpcData<{ reference: string }>(await h.call('bookings.confirm', { holdId: hold.id, sessionId: `forget-seed-${slot}`, client: { name: 'Ana Device', email } }, { key: clinic.secretKey })).reference;
}

function send(text: string, options: { token?: string; deviceToken?: string } = {}): Promise<Sent> {
  return h
    .call('chat.send', { text, ...(options.deviceToken ? { deviceToken: options.deviceToken } : {}) }, { key: clinic.publishableKey, origin: clinic.origin, headers: options.token ? { 'x-gomomo-session': options.token } : {} })
    .then((response) => trpcData<Sent>(response));
}

/** A widget conversation that proved the booking's email by code and remembered this device. */
async function rememberedCustomer(email: string): Promise<{ reference: string; sessionId: string; deviceToken: string }> {
  const reference = await seedBooking(email);
  const first = await send(`cancel ${reference} ${email}`);
  await send(codes.at(-1)!.code, { token: first.sessionToken! });
  const remembered = trpcData<{ deviceToken: string }>(await h.call('devices.remember', {}, { key: clinic.publishableKey, origin: clinic.origin, headers: { 'x-gomomo-session': first.sessionToken! } }));
  return { reference, sessionId: first.sessionId, deviceToken: remembered.deviceToken };
}

async function auditOf(action: string): Promise<{ subject_id: string; details: Record<string, unknown> }[]> {
  const { rows } = await h.db.pool.query<{ subject_id: string; details: Record<string, unknown> }>(`SELECT subject_id, details FROM audit_log WHERE tenant_id = $1 AND action = $2 ORDER BY occurred_at, id`, [clinic.id, action]);
  return rows;
}

describe('signing a customer out of remembered devices from the console', () => {
  it('a staff member signs a booking’s customer out: the remembered device is a stranger’s again, audited with the staff id', async () => {
    const ana = await rememberedCustomer('ana.forget@example.com');
    expect((await send('Hi!', { deviceToken: ana.deviceToken })).device).toBe('opened');
    expect(trpcData(await asStaff(h, staff, 'console.customers.forgetDevices', { reference: ana.reference }))).toEqual({ revoked: 1 });
    const later = await send('Hi!', { deviceToken: ana.deviceToken });
    expect(later.device).toBe('refused');
    expect(later.reply).not.toMatch(/Welcome back/);
    const audited = await auditOf('customer.forget_devices');
    expect(audited.map((row) => [row.subject_id, row.details.staffId, row.details.revoked])).toEqual([[ana.reference, staff.staffId, 1]]);
    expect(JSON.stringify(audited)).not.toContain('ana.forget@example.com');
  });

  it('an owner signs a conversation’s customer out from the inbox; a second time revokes nothing', async () => {
    const bo = await rememberedCustomer('bo.forget@example.com');
    expect(trpcData(await asStaff(h, owner, 'console.customers.forgetDevices', { sessionId: bo.sessionId }))).toEqual({ revoked: 1 });
    expect((await send('Hi!', { deviceToken: bo.deviceToken })).device).toBe('refused');
    expect(trpcData(await asStaff(h, owner, 'console.customers.forgetDevices', { sessionId: bo.sessionId }))).toEqual({ revoked: 0 });
  });

  it('never signs out another business’s customer', async () => {
    const cy = await rememberedCustomer('cy.forget@example.com');
    expect((await asStaff(h, otherOwner, 'console.customers.forgetDevices', { reference: cy.reference })).statusCode).toBe(404);
    expect((await asStaff(h, otherOwner, 'console.customers.forgetDevices', { sessionId: cy.sessionId })).statusCode).toBe(404);
    expect((await send('Hi!', { deviceToken: cy.deviceToken })).device).toBe('opened');
  });

  it('answers a 400 naming the field for no customer, both at once, or a customer without contacts', async () => {
    const neither = await asStaff(h, owner, 'console.customers.forgetDevices', {});
    expect(neither.statusCode).toBe(400);
    expect(trpcError(neither).fields?.[0]?.field).toBe('reference');
    const both = await asStaff(h, owner, 'console.customers.forgetDevices', { reference: 'ABC123', sessionId: 'x' });
    expect(both.statusCode).toBe(400);
    const stranger = await send('hello');
    const anonymous = await asStaff(h, owner, 'console.customers.forgetDevices', { sessionId: stranger.sessionId });
    expect(anonymous.statusCode).toBe(400);
    expect(trpcError(anonymous).fields?.[0]?.field).toBe('sessionId');
  });
});
