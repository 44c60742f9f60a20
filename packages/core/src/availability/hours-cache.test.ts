// The schedule cache behind availability from memory: trusted for its TTL, then served while one
// refresh runs, so an expiry under load sends one query to the database rather than one per request.
import { describe, expect, it } from 'vitest';
import { createHoursCache, type TenantSchedule } from './hours-cache.js';

const tenantId = '00000000-0000-4000-8000-000000000001';

function scheduleNamed(name: string): TenantSchedule {
  return {
    catalog: { tenant: { id: tenantId, slug: name, name, timeZone: 'UTC', lookaheadDays: 30, minNoticeMinutes: 0, slotIntervalMinutes: 30, holdTtlSeconds: 300, settings: {} }, services: [] },
    hours: { hours: [], overrides: [], version: '0' },
  };
}

/** A load the test completes by hand, counting how often it was started. */
function manualLoads() {
  const pending: ((schedule: TenantSchedule) => void)[] = [];
  return {
    started: () => pending.length,
    load: () => new Promise<TenantSchedule>((resolve) => pending.push(resolve)),
    finish: async (index: number, name: string) => {
      pending[index]!(scheduleNamed(name));
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}

describe('createHoursCache', () => {
  it('loads a tenant once however many requests wait for it', async () => {
    const loads = manualLoads();
    const cache = createHoursCache(1000, () => 0);
    const waiting = Array.from({ length: 50 }, () => cache.read(tenantId, loads.load));
    expect(loads.started()).toBe(1);
    await loads.finish(0, 'first');
    for (const read of await Promise.all(waiting)) expect(read.catalog.tenant.name).toBe('first');
  });

  it('serves the old schedule while one refresh runs after the TTL, then the new one', async () => {
    let monotonic = 0;
    const loads = manualLoads();
    const cache = createHoursCache(1000, () => monotonic);
    const first = cache.read(tenantId, loads.load);
    await loads.finish(0, 'first');
    await first;
    monotonic = 999;
    expect((await cache.read(tenantId, loads.load)).catalog.tenant.name).toBe('first');
    expect(loads.started()).toBe(1);
    monotonic = 1000;
    for (let i = 0; i < 20; i++) expect((await cache.read(tenantId, loads.load)).catalog.tenant.name).toBe('first');
    expect(loads.started()).toBe(2);
    await loads.finish(1, 'second');
    expect((await cache.read(tenantId, loads.load)).catalog.tenant.name).toBe('second');
  });

  it('keeps the schedule object through a refresh that read the same, and replaces it when anything changed', async () => {
    let monotonic = 0;
    const loads = manualLoads();
    const cache = createHoursCache(1000, () => monotonic);
    const read = () => cache.read(tenantId, loads.load);
    const first = read();
    await loads.finish(0, 'first');
    const original = await first;
    monotonic = 1000;
    await read();
    await loads.finish(1, 'first'); // the same content, a new object
    expect(await read()).toBe(original);
    monotonic = 2000;
    await read();
    await loads.finish(2, 'renamed');
    expect((await read()).catalog.tenant.name).toBe('renamed');
  });

  it('reads every time with a TTL of 0', async () => {
    let count = 0;
    const cache = createHoursCache(0);
    for (let i = 0; i < 3; i++) await cache.read(tenantId, async () => scheduleNamed(`read-${++count}`));
    expect(count).toBe(3);
  });

  it('peeks without waiting: nothing while the first load runs, then the schedule, refreshed in the background past the TTL', async () => {
    let monotonic = 0;
    const loads = manualLoads();
    const cache = createHoursCache(1000, () => monotonic);
    expect(cache.peek(tenantId, loads.load)).toBeUndefined();
    expect(cache.peek(tenantId, loads.load)).toBeUndefined();
    expect(loads.started()).toBe(1);
    await loads.finish(0, 'first');
    expect(cache.peek(tenantId, loads.load)?.catalog.tenant.name).toBe('first');
    monotonic = 5000;
    expect(cache.peek(tenantId, loads.load)?.catalog.tenant.name).toBe('first');
    expect(loads.started()).toBe(2);
    await loads.finish(1, 'second');
    expect(cache.peek(tenantId, loads.load)?.catalog.tenant.name).toBe('second');
  });

  it('peeks at nothing, and loads nothing, with a TTL of 0', () => {
    let count = 0;
    const cache = createHoursCache(0);
    expect(cache.peek(tenantId, async () => scheduleNamed(`read-${++count}`))).toBeUndefined();
    expect(count).toBe(0);
  });

  it('forgets a failed peek load, so the next read loads again and reports its error', async () => {
    const cache = createHoursCache(1000, () => 0);
    expect(cache.peek(tenantId, () => Promise.reject(new Error('down')))).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await expect(cache.read(tenantId, () => Promise.reject(new Error('still down')))).rejects.toThrow('still down');
  });
});
