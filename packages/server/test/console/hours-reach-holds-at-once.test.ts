// Staff change the hours in the console while the API keeps them in memory for availability (as
// apps/api runs it, here for a whole minute): a hold a moment later goes by the hours as saved. The
// hold is judged by the hours in memory, and its claim checks their schedule version (core's
// migration 0106), so a closed day is refused at once and a reopened one can be held at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, trpcData, trpcError, type Harness, type TestTenant } from '../harness.js';
import { asStaff, createOwner, ownerPassword, signIn, type ConsoleSession } from './support.js';

let h: Harness;
let clinic: TestTenant;
let owner: ConsoleSession;

beforeAll(async () => {
  h = await createHarness({ availabilityFromMemory: true, catalogCacheMs: 60_000 });
  clinic = await h.onboard('hours-reach-holds', 'https://clinic.example');
  await createOwner(h, clinic, 'owner@hours.example');
  owner = await signIn(h, { tenant: 'hours-reach-holds', email: 'owner@hours.example', password: ownerPassword });
});
afterAll(() => h.close());

/** The day's first slot as availability offers it, from memory (its hours loaded by the question). */
async function firstSlot(date: string): Promise<string> {
  const { slots } = trpcData<{ slots: { start: string }[] }>(await h.call('availability.get', { serviceId: clinic.serviceId, from: date, to: date }, { key: clinic.secretKey }));
  return slots[0]!.start;
}

const hold = (start: string, sessionId: string) => h.call('bookings.hold', { serviceId: clinic.serviceId, start, resourceId: clinic.resourceId, sessionId }, { key: clinic.secretKey });
const weekdays = (opens: string, closes: string) => [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens, closes }));

describe('hours saved in the console reach holds at once', () => {
  it('refuses a hold on a day closed a moment ago, and takes it once the day is open again', async () => {
    const start = await firstSlot('2026-12-02');
    trpcData(await asStaff(h, owner, 'console.settings.saveOverrides', { overrides: [{ date: '2026-12-02', reason: 'Staff training' }] }));
    const refused = await hold(start, 'closed-day');
    expect(refused.statusCode).toBe(409);
    expect(trpcError(refused)).toEqual({ code: 'SLOT_UNAVAILABLE', message: `${start} is outside opening hours` });

    trpcData(await asStaff(h, owner, 'console.settings.saveOverrides', { overrides: [] }));
    expect(trpcData<{ start: string }>(await hold(start, 'open-again')).start).toBe(start);
  });

  it('refuses a hold before the new opening time, saved a moment ago', async () => {
    const start = await firstSlot('2026-12-03');
    trpcData(await asStaff(h, owner, 'console.settings.saveHours', { hours: weekdays('12:00', '17:00') }));
    const refused = await hold(start, 'opens-later');
    expect(refused.statusCode).toBe(409);
    expect(trpcError(refused)).toEqual({ code: 'SLOT_UNAVAILABLE', message: `${start} is outside opening hours` });
    trpcData(await asStaff(h, owner, 'console.settings.saveHours', { hours: weekdays('09:00', '17:00') }));
    expect(trpcData<{ start: string }>(await hold(start, 'opens-at-nine')).start).toBe(start);
  });
});
