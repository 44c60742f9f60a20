// The plugin's event hub feeds core's busy index: with availability from memory, a booking made
// anywhere disappears from the offered slots within moments, through the domain-event notification
// the booking already writes — no polling, no cache TTL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, trpcData, type Harness, type TestTenant } from './harness.js';

let h: Harness;
let tenant: TestTenant;

beforeAll(async () => {
  h = await createHarness({ availabilityFromMemory: true });
  tenant = await h.onboard('memory-clinic', 'https://memory.example');
});
afterAll(() => h.close());

type Availability = { slots: { start: string; resourceIds: string[] }[] };
const query = () => ({ serviceId: tenant.serviceId, from: '2026-12-02', to: '2026-12-02' });
const freeAt = async (start: string) =>
  trpcData<Availability>(await h.call('availability.get', query(), { key: tenant.secretKey })).slots.find((s) => s.start === start)?.resourceIds ?? [];

describe('availability from memory', () => {
  it('drops a slot within a second of a hold and a confirm made through the API', async () => {
    const [first] = trpcData<Availability>(await h.call('availability.get', query(), { key: tenant.secretKey })).slots;
    expect(first!.resourceIds).toContain(tenant.resourceId);
    const hold = trpcData<{ id: string }>(await h.call('bookings.hold', { serviceId: tenant.serviceId, start: first!.start, resourceId: tenant.resourceId, sessionId: 'memory-session' }, { key: tenant.secretKey }));
    await h.call('bookings.confirm', { holdId: hold.id, sessionId: 'memory-session', client: { name: 'Mem', email: 'mem@example.com' } }, { key: tenant.secretKey });
    const started = performance.now();
    while ((await freeAt(first!.start)).includes(tenant.resourceId)) {
      expect(performance.now() - started).toBeLessThan(1000);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });
});
