// Availability through the server: from memory (core's busy index fed by the plugin's event hub, so a
// booking made anywhere disappears from the offered slots within moments, through the notification
// it already writes), and the compact shape for tenants with many resources.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../src/router.js';
import { availabilitySchema, compactAvailabilitySchema } from '../src/routers/schemas.js';
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

describe('availability.compact', () => {
  it('carries exactly the slots of availability.get, each resource id once, in a fraction of the bytes', async () => {
    const fullResponse = await h.call('availability.get', { serviceId: tenant.serviceId, from: '2026-12-03', to: '2026-12-09' }, { key: tenant.secretKey });
    const compactResponse = await h.call('availability.compact', { serviceId: tenant.serviceId, from: '2026-12-03', to: '2026-12-09' }, { key: tenant.secretKey });
    const full = trpcData<{ slots: { start: string; end: string; resourceIds: string[] }[] }>(fullResponse);
    const compact = trpcData<{ durationMinutes: number; resourceIds: string[]; slots: { start: string; resources: number[] }[] }>(compactResponse);
    expect(full.slots.length).toBeGreaterThan(0);
    expect(compact.durationMinutes).toBe(30);
    expect(new Set(compact.resourceIds).size).toBe(compact.resourceIds.length);
    const expanded = compact.slots.map((s) => ({ start: s.start, resourceIds: s.resources.map((i) => compact.resourceIds[i]) }));
    expect(expanded).toEqual(full.slots.map((s) => ({ start: s.start, resourceIds: s.resourceIds })));
    expect(full.slots.every((s) => Date.parse(s.end) - Date.parse(s.start) === 30 * 60_000)).toBe(true);
    expect(compactResponse.body.length).toBeLessThan(fullResponse.body.length * 0.6);
  });
});

// The availability procedures skip tRPC's output validator on the hot path (issue 15); their
// answers are checked against the documented schemas here instead.
describe('availability answers', () => {
  it.each([
    ['availability.get', availabilitySchema],
    ['availability.compact', compactAvailabilitySchema],
  ] as const)('%s answers exactly what its documented schema describes', async (path, schema) => {
    const response = await h.call(path, { serviceId: tenant.serviceId, from: '2026-12-03', to: '2026-12-16' }, { key: tenant.secretKey });
    const data = trpcData<{ slots: unknown[] }>(response);
    expect(data.slots.length).toBeGreaterThan(0);
    expect(schema.parse(data)).toEqual(data);
  });

  it('documents the same schemas in the OpenAPI document that the answers are checked against', () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { output?: unknown } }>;
    expect(procedures['availability.get']!._def.output).toBe(availabilitySchema);
    expect(procedures['availability.compact']!._def.output).toBe(compactAvailabilitySchema);
    const document = JSON.stringify(h.app.gomomo.openApiDocument.paths?.['/availability']);
    expect(document).toContain('resourceIds');
  });
});

