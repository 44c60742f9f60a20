// Issue 12 items 6 and 7 through the API: past is past, and per-service change deadlines that
// staff may override with a secret key (audited).
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSecret, createHarness, startOfTest, tenantInput, trpcData, trpcError, type Harness, type TestTenant } from './harness.js';

let h: Harness;
let t: TestTenant;

beforeAll(async () => {
  h = await createHarness({ withReceptionist: true });
  t = await h.onboard('change-rules', 'https://rules.example');
});
afterAll(async () => {
  await h.close();
});

let sessions = 0;
async function book(start: string): Promise<string> {
  h.clock.set(startOfTest);
  const sessionId = `rules-session-${String(++sessions).padStart(4, '0')}`;
  const hold = trpcData<{ id: string }>(await h.call('bookings.hold', { serviceId: t.serviceId, start, sessionId }, { key: t.secretKey }));
  return trpcData<{ reference: string }>(await h.call('bookings.confirm', { holdId: hold.id, sessionId, client: { name: 'Ana', email: 'ana@example.com' } }, { key: t.secretKey })).reference;
}

function rest(path: string, body: unknown): Promise<LightMyRequestResponse> {
  return h.app.inject({ method: 'POST', url: `/api/v1${path}`, headers: { authorization: `Bearer ${t.secretKey}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
}

async function setDeadline(hours: number): Promise<void> {
  trpcData(await h.call('tenant.updateService', { serviceId: t.serviceId, changeDeadlineHours: hours }, { key: t.secretKey }));
}

describe('regression: past appointments can be cancelled or moved (API)', () => {
  it('refuses a started appointment with 409 APPOINTMENT_STARTED on tRPC and REST, override or not', async () => {
    const reference = await book('2026-12-02T16:00:00Z');
    h.clock.set('2026-12-02T16:10:00Z');
    const cancel = await h.call('bookings.cancel', { reference, overrideDeadline: true }, { key: t.secretKey });
    expect(cancel.statusCode).toBe(409);
    expect(trpcError(cancel)).toMatchObject({ code: 'APPOINTMENT_STARTED', message: `Appointment ${reference} started at 2026-12-02T16:00Z; it can no longer be cancelled or moved` });
    const move = await rest(`/bookings/${reference}/reschedule`, { newStart: '2026-12-03T16:00:00Z' });
    expect(move.statusCode).toBe(409);
    expect(move.json()).toMatchObject({ error: { code: 'APPOINTMENT_STARTED' } });
    expect(trpcData<{ status: string }>(await h.call('bookings.get', { reference }, { key: t.secretKey })).status).toBe('booked');
  });

  it('has the receptionist explain it in chat (publishable key), changing nothing', async () => {
    const reference = await book('2026-12-02T17:00:00Z');
    h.clock.set('2026-12-02T17:05:00Z');
    const turn = trpcData<{ reply: string }>(await h.call('chat.send', { text: `Please cancel ${reference}, ana@example.com` }, { key: t.publishableKey, origin: t.origin }));
    expect(turn.reply).toContain('has already started, so it can no longer be cancelled or moved');
    expect(turn.reply).toMatch(/contact Clinic change-rules directly/);
    expect(trpcData<{ status: string }>(await h.call('bookings.get', { reference }, { key: t.secretKey })).status).toBe('booked');
  });

  it('refuses to move a booking into the past with 409 naming newStart', async () => {
    const reference = await book('2026-12-04T16:00:00Z');
    const move = await rest(`/bookings/${reference}/reschedule`, { newStart: '2026-12-01T12:00:00Z' });
    expect(move.statusCode).toBe(409);
    expect(move.json()).toMatchObject({ error: { code: 'SLOT_UNAVAILABLE', message: expect.stringContaining('cannot be moved into the past') } });
  });
});

describe('change deadline per service (API)', () => {
  it('is set with the secret key, shown on the service, and validated with a 400 naming the field', async () => {
    const updated = trpcData<{ changeDeadlineHours: number }>(await h.call('tenant.updateService', { serviceId: t.serviceId, changeDeadlineHours: 24 }, { key: t.secretKey }));
    expect(updated.changeDeadlineHours).toBe(24);
    const listed = trpcData<{ id: string; changeDeadlineHours: number }[]>(await h.call('services.list', undefined, { key: t.secretKey }));
    expect(listed.find((s) => s.id === t.serviceId)?.changeDeadlineHours).toBe(24);
    for (const bad of [-1, 721, 2.5, 'soon']) {
      const response = await h.call('tenant.updateService', { serviceId: t.serviceId, changeDeadlineHours: bad }, { key: t.secretKey });
      expect(response.statusCode).toBe(400);
      expect(trpcError(response)).toMatchObject({ code: 'VALIDATION', fields: [expect.objectContaining({ field: 'changeDeadlineHours' })] });
    }
    const publishable = await h.call('tenant.updateService', { serviceId: t.serviceId, changeDeadlineHours: 0 }, { key: t.publishableKey, origin: t.origin });
    expect(publishable.statusCode).toBe(403);
    await setDeadline(0);
  });

  it('is accepted at onboarding (admin.createTenant), with a 400 naming the service field when bad', async () => {
    const input = tenantInput('deadline-onboard', 'https://onboard.example');
    const bad = await h.call('admin.createTenant', { ...input, services: [{ name: 'Consultation', durationMinutes: 30, changeDeadlineHours: 1000 }] }, { key: adminSecret });
    expect(bad.statusCode).toBe(400);
    expect(trpcError(bad)).toMatchObject({ code: 'VALIDATION', fields: [expect.objectContaining({ field: 'services.0.changeDeadlineHours' })] });
    const good = await h.call('admin.createTenant', { ...input, services: [{ name: 'Consultation', durationMinutes: 30, changeDeadlineHours: 12 }] }, { key: adminSecret });
    const { keys } = trpcData<{ keys: { secret: { key: string } } }>(good);
    expect(trpcData<{ changeDeadlineHours: number }[]>(await h.call('services.list', undefined, { key: keys.secret.key }))[0]!.changeDeadlineHours).toBe(12);
  });

  it('refuses a staff change within the deadline unless overrideDeadline is sent, and audits the override', async () => {
    const reference = await book('2026-12-03T15:00:00Z');
    await setDeadline(72);
    const refused = await h.call('bookings.cancel', { reference }, { key: t.secretKey });
    expect(refused.statusCode).toBe(409);
    expect(trpcError(refused)).toMatchObject({ code: 'CHANGE_DEADLINE_PASSED', message: expect.stringContaining('within 72 hours of its start (the deadline was 2026-11-30T15:00Z)') });
    // After a REST call to the procedure (the first describe made some), a string must still not pass as true.
    for (const flag of ['yes', 'false']) {
      const badFlag = await h.call('bookings.cancel', { reference, overrideDeadline: flag }, { key: t.secretKey });
      expect(badFlag.statusCode).toBe(400);
      expect(trpcError(badFlag)).toMatchObject({ code: 'VALIDATION', fields: [expect.objectContaining({ field: 'overrideDeadline' })] });
      const badRest = await rest(`/bookings/${reference}/cancel`, { overrideDeadline: flag });
      expect(badRest.statusCode).toBe(400);
    }

    const moved = await rest(`/bookings/${reference}/reschedule`, { newStart: '2026-12-03T16:00:00Z', overrideDeadline: true });
    expect(moved.statusCode).toBe(200);
    const cancelled = await rest(`/bookings/${reference}/cancel`, { overrideDeadline: true, reason: 'clinic closed' });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });

    const { rows } = await h.db.pool.query<{ action: string; actor: string; rule_id: string; reason: string; details: Record<string, unknown> }>(
      `SELECT action, actor, outcome, rule_id, reason, details FROM audit_log WHERE tenant_id = $1 AND rule_id = 'override:change-deadline' ORDER BY seq`,
      [t.id],
    );
    expect(rows.map((r) => [r.action, r.actor])).toEqual([
      ['booking.reschedule', 'staff'],
      ['booking.cancel', 'staff'],
    ]);
    expect(rows[1]!).toMatchObject({ outcome: 'allowed', details: { reference, overrideDeadline: true, deadlinePassed: true, deadlineHours: 72 } });
    expect(rows[1]!.reason).toContain('Staff override of the change deadline with a secret key');
    await setDeadline(0);
  });
});
