// widget.config is asked for on every widget load and is the same for every visitor of a business:
// it gets a short public cache keyed by the origin and the key; nothing else does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type TestTenant } from './harness.js';

let h: Harness;
let clinic: TestTenant;

beforeAll(async () => {
  h = await createHarness();
  clinic = await h.onboard('cache-clinic', 'https://clinic.example');
});
afterAll(() => h.close());

function varyOf(header: string | string[] | number | undefined): string[] {
  return String(header ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
}

describe('the widget configuration answer', () => {
  it('may be kept by a shared cache for a minute, varying by origin and key', async () => {
    const response = await h.call('widget.config', {}, { key: clinic.publishableKey, origin: clinic.origin });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=60');
    expect(varyOf(response.headers.vary)).toEqual(expect.arrayContaining(['origin', 'authorization', 'x-api-key']));
  });

  it('is not cached when it is refused', async () => {
    const response = await h.call('widget.config', {}, { key: clinic.publishableKey, origin: 'https://evil.example' });
    expect(response.statusCode).toBe(403);
    expect(response.headers['cache-control'] ?? '').not.toMatch(/public|max-age/);
  });

  it('is not cached inside a batch, and other queries are never cached', async () => {
    const batch = await h.app.inject({ method: 'GET', url: `/trpc/widget.config,widget.config?batch=1&input=${encodeURIComponent('{"0":{},"1":{}}')}`, headers: { authorization: `Bearer ${clinic.publishableKey}`, origin: clinic.origin } });
    expect(batch.statusCode).toBe(200);
    expect(batch.headers['cache-control'] ?? '').not.toMatch(/public/);
    const services = await h.call('services.list', undefined, { key: clinic.secretKey });
    expect(services.statusCode).toBe(200);
    expect(services.headers['cache-control'] ?? '').not.toMatch(/public/);
    expect(varyOf(services.headers.vary)).toContain('origin');
    expect(varyOf(services.headers.vary)).not.toContain('authorization');
  });
});
