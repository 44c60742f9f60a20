// Security of every console procedure, read from the router itself so a new procedure is covered
// the day it is added: no session → 401; another tenant's ids → nothing of theirs; a mutation
// without the session's CSRF token → 403; a staff-role session on an owner action → 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { procedures, createHarness, trpcData, type Harness, type TestTenant } from '../harness.js';
import { asStaff, createOwner, ownerPassword, signIn, type ConsoleSession } from './support.js';

/** Console procedures that run before a session exists (they have their own checks). */
const publicProcedures = new Set(['console.auth.createFirstOwner', 'console.auth.signIn', 'console.auth.acceptInvite']);
/** Owner-only procedures: everything under settings except reading them, calendars and ICS feeds, invitations, and every change to the catalog or quiet hours. */
const ownerOnly = (path: string, type: string) =>
  (path.startsWith('console.settings.') && path !== 'console.settings.get') ||
  path.startsWith('console.calendars.') ||
  path.startsWith('console.ics.') ||
  path === 'console.auth.invite' ||
  path === 'console.killSwitches.set' ||
  ((path.startsWith('console.catalog.') || path.startsWith('console.quietHours.')) && type === 'mutation');

const consoleProcedures = procedures.filter((p) => p.path.startsWith('console.') && !publicProcedures.has(p.path));

let h: Harness;
let a: TestTenant;
let b: TestTenant;
let ownerA: ConsoleSession;
let ownerB: ConsoleSession;
let staffA: ConsoleSession;
let bookingOfA: string;

beforeAll(async () => {
  h = await createHarness();
  a = await h.onboard('console-sec-a', 'https://a.example');
  b = await h.onboard('console-sec-b', 'https://b.example');
  await createOwner(h, a, 'owner@a.example');
  await createOwner(h, b, 'owner@b.example');
  ownerA = await signIn(h, { tenant: 'console-sec-a', email: 'owner@a.example', password: ownerPassword });
  ownerB = await signIn(h, { tenant: 'console-sec-b', email: 'owner@b.example', password: ownerPassword });
  trpcData(await asStaff(h, ownerA, 'console.auth.invite', { email: 'staff@a.example', role: 'staff' }));
  const { rows } = await h.db.pool.query<{ body: string }>(`SELECT body FROM notification_outbox WHERE tenant_id = $1 AND template = 'staff_invite'`, [a.id]);
  const token = /#\/accept\/([\w-]+)/.exec(rows[0]!.body)![1]!;
  trpcData(await h.call('console.auth.acceptInvite', { token, name: 'Staff A', password: 'staff password' }, { headers: { 'x-gomomo-csrf': '1' } }));
  staffA = await signIn(h, { tenant: 'console-sec-a', email: 'staff@a.example', password: 'staff password' });
  const slots = trpcData<{ start: string }[]>(await asStaff(h, ownerA, 'console.bookings.slots', { serviceId: a.serviceId, date: '2026-12-02' }));
  bookingOfA = trpcData<{ reference: string }>(await asStaff(h, ownerA, 'console.bookings.create', { serviceId: a.serviceId, start: slots[0]!.start, client: { name: 'Ana', email: 'ana@a.example' } })).reference;
});
afterAll(() => h.close());

describe('console security', () => {
  it('covers the console procedures', () => {
    expect(consoleProcedures.length).toBeGreaterThan(20);
  });

  it.each(consoleProcedures)('refuses $path without a session (401)', async ({ path, type }) => {
    const response = await h.call(path, {}, { headers: { 'x-gomomo-csrf': ownerA.csrfToken } });
    if (type !== 'subscription') {
      expect(response.statusCode).toBe(401);
      return;
    }
    // A subscription answers with an event stream (200) whose only event after `connected` is the
    // refusal: no data is sent.
    const events = response.body.split('\n\n').map((chunk) => chunk.trim()).filter((chunk) => chunk !== '' && !chunk.startsWith('event: connected'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatch(/^event: serialized-error/);
    expect(events[0]).toContain('"httpStatus":401');
  });

  it.each(consoleProcedures.filter((p) => p.type === 'mutation'))('refuses $path without the session’s CSRF token (403)', async ({ path }) => {
    expect((await asStaff(h, ownerA, path, {}, { csrf: null })).statusCode).toBe(403);
    expect((await asStaff(h, ownerA, path, {}, { csrf: ownerB.csrfToken })).statusCode).toBe(403);
  });

  it.each(consoleProcedures.filter((p) => ownerOnly(p.path, p.type)))('refuses $path to a staff-role member (403)', async ({ path }) => {
    const response = await asStaff(h, staffA, path, {});
    expect(response.statusCode).toBe(403);
  });

  it('never shows or changes another tenant’s bookings, messages, keys or staff', async () => {
    const grid = trpcData<{ bookings: { reference: string }[] }>(await asStaff(h, ownerB, 'console.bookings.grid', { from: '2026-12-02', days: 1 }));
    expect(grid.bookings).toEqual([]);
    expect((await asStaff(h, ownerB, 'console.bookings.cancel', { reference: bookingOfA })).statusCode).toBe(404);
    expect((await asStaff(h, ownerB, 'console.bookings.move', { reference: bookingOfA, newStart: '2026-12-02T15:00:00Z' })).statusCode).toBe(404);
    const messagesOfA = trpcData<{ id: string }[]>(await asStaff(h, ownerA, 'console.messages.list', {}));
    expect(messagesOfA.length).toBeGreaterThan(0);
    expect(trpcData<unknown[]>(await asStaff(h, ownerB, 'console.messages.list', {}))).toEqual([]);
    expect((await asStaff(h, ownerB, 'console.messages.retry', { messageId: messagesOfA[0]!.id })).statusCode).toBe(404);
    const keysOfA = trpcData<{ id: string }[]>(await asStaff(h, ownerA, 'console.settings.keys'));
    expect((await asStaff(h, ownerB, 'console.settings.revokeKey', { keyId: keysOfA[0]!.id })).statusCode).toBe(404);
    const staffOfA = trpcData<{ id: string }[]>(await asStaff(h, ownerA, 'console.settings.staff'));
    expect((await asStaff(h, ownerB, 'console.settings.updateStaff', { staffId: staffOfA[0]!.id, isDisabled: true })).statusCode).toBe(404);
    const auditOfB = trpcData<{ entries: { details: { reference?: string } }[] }>(await asStaff(h, ownerB, 'console.audit.list', {}));
    expect(JSON.stringify(auditOfB)).not.toContain(bookingOfA);
    const settingsOfB = trpcData<{ name: string }>(await asStaff(h, ownerB, 'console.settings.get'));
    expect(settingsOfB.name).toBe('Clinic console-sec-b');
  });

  it('turns a kill switch on for one business only, audited with the owner', async () => {
    trpcData(await asStaff(h, ownerA, 'console.killSwitches.set', { family: 'notify.sms', isOn: true, reason: 'carrier outage' }));
    const ofA = trpcData<{ family: string; isOn: boolean }[]>(await asStaff(h, ownerA, 'console.killSwitches.list'));
    const ofB = trpcData<{ family: string; isOn: boolean }[]>(await asStaff(h, ownerB, 'console.killSwitches.list'));
    expect(ofA.find((s) => s.family === 'notify.sms')?.isOn).toBe(true);
    expect(ofB.find((s) => s.family === 'notify.sms')?.isOn).toBe(false);
    const { rows } = await h.db.pool.query<{ details: { staffId: string } }>(`SELECT details FROM audit_log WHERE tenant_id = $1 AND action = 'settings.kill_switch'`, [a.id]);
    expect(rows.map((r) => r.details.staffId)).toEqual([ownerA.staffId]);
  });

  it('keeps the last owner: an owner cannot demote or disable the only owner', async () => {
    const response = await asStaff(h, ownerA, 'console.settings.updateStaff', { staffId: ownerA.staffId, role: 'staff' });
    expect(response.statusCode).toBe(400);
  });

  it('lets a staff member work the day: bookings, messages and the audit log', async () => {
    expect((await asStaff(h, staffA, 'console.bookings.grid', { from: '2026-12-02', days: 7 })).statusCode).toBe(200);
    expect((await asStaff(h, staffA, 'console.messages.list', {})).statusCode).toBe(200);
    expect((await asStaff(h, staffA, 'console.audit.verify')).statusCode).toBe(200);
    const cancelled = trpcData<{ status: string }>(await asStaff(h, staffA, 'console.bookings.cancel', { reference: bookingOfA }));
    expect(cancelled.status).toBe('cancelled');
    const { rows } = await h.db.pool.query<{ details: { staffId: string } }>(`SELECT details FROM audit_log WHERE tenant_id = $1 AND action = 'booking.cancel' AND subject_id = $2`, [a.id, bookingOfA]);
    expect(rows.map((r) => r.details.staffId)).toEqual([staffA.staffId]);
  });
});
