// Verified API keys are held in process (one round trip per read instead of two), with a bound:
// a revoked key is refused within a second on every instance, through the `gomomo_keys`
// notification (migration 0059) or, if that is lost, through the entry's one-second life.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyCache, keyCacheMaxStaleMs } from '../src/keys/key-cache.js';
import { createEventHub, type EventHub } from '../src/push/event-hub.js';
import { hashKey } from '../src/keys/keys.js';
import { adminSecret, createHarness, trpcData, type Harness, type TestTenant } from './harness.js';

let h: Harness;
let hub: EventHub;
const hubs: EventHub[] = [];

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await Promise.all(hubs.map((x) => x.close()));
  await h.close();
});

/** A second instance's cache: trusts an entry for a minute, so only the notification can drop it. */
async function listeningCache() {
  const keys = createKeyCache({ pool: h.db.pool, maxStaleMs: 60_000 });
  hub = createEventHub({ pool: h.db.pool, onKeyChange: (tenantId) => keys.forget(tenantId) });
  hubs.push(hub);
  await hub.start();
  return keys;
}

async function waitFor(condition: () => Promise<boolean>, withinMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < withinMs) {
    if (await condition()) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`not within ${withinMs} ms`);
}

describe('the API key cache', () => {
  let tenant: TestTenant;
  beforeAll(async () => {
    tenant = await h.onboard('cache-clinic', 'https://cache.example');
  });

  it('answers from memory within its bound, and asks the database again once the bound has passed', async () => {
    let monotonic = 0;
    const keys = createKeyCache({ pool: h.db.pool, monotonicNow: () => monotonic });
    const key = (await h.onboard('cache-bound', 'https://bound.example')).secretKey;
    expect(await keys.verify(key, h.clock.now())).toMatchObject({ kind: 'secret' });
    // Revoked behind the cache's back, with no listener: the entry is used until its bound.
    await h.db.pool.query('UPDATE api_keys SET revoked_at = now() WHERE key_hash = $1', [hashKey(key)]);
    monotonic = keyCacheMaxStaleMs - 1;
    expect(await keys.verify(key, h.clock.now())).toMatchObject({ kind: 'secret' });
    monotonic = keyCacheMaxStaleMs;
    expect(await keys.verify(key, h.clock.now())).toBeNull();
    expect(keys.size).toBe(0);
  });

  it('regression: a revocation by another instance reaches this one within a second, through the notification', async () => {
    const keys = await listeningCache();
    const created = trpcData<{ id: string; key: string }>(await h.call('admin.createKey', { tenantId: tenant.id, kind: 'secret', name: 'elsewhere' }, { key: adminSecret }));
    expect(await keys.verify(created.key, h.clock.now())).toMatchObject({ tenantId: tenant.id });
    await h.db.pool.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [created.id]);
    const elapsed = await waitFor(async () => (await keys.verify(created.key, h.clock.now())) === null, keyCacheMaxStaleMs);
    expect(elapsed).toBeLessThan(keyCacheMaxStaleMs);
  });

  it('sees a new allowed origin within a second, through the same notification', async () => {
    const keys = await listeningCache();
    expect((await keys.verify(tenant.publishableKey, h.clock.now()))?.origins).toEqual(['https://cache.example']);
    await h.db.pool.query(`INSERT INTO allowed_origins (tenant_id, origin) VALUES ($1, 'https://shop.cache.example')`, [tenant.id]);
    await waitFor(async () => (await keys.verify(tenant.publishableKey, h.clock.now()))?.origins.length === 2, keyCacheMaxStaleMs);
  });

  it('keeps serving a key through the server while recording its use once a minute, not per request', async () => {
    for (let i = 0; i < 3; i++) expect((await h.call('services.list', undefined, { key: tenant.secretKey })).statusCode).toBe(200);
    const first = await h.db.pool.query<{ at: Date }>('SELECT last_used_at AS at FROM api_keys WHERE key_hash = $1', [hashKey(tenant.secretKey)]);
    h.clock.advance(60_000);
    expect((await h.call('services.list', undefined, { key: tenant.secretKey })).statusCode).toBe(200);
    const later = await h.db.pool.query<{ at: Date }>('SELECT last_used_at AS at FROM api_keys WHERE key_hash = $1', [hashKey(tenant.secretKey)]);
    expect(later.rows[0]!.at.getTime() - first.rows[0]!.at.getTime()).toBe(60_000);
  });

  it('does not keep unknown keys, so guessing cannot grow memory', async () => {
    const keys = createKeyCache({ pool: h.db.pool });
    expect(await keys.verify(`sk_live_${'0'.repeat(31)}A`, h.clock.now())).toBeNull();
    expect(keys.size).toBe(0);
  });
});
