import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gomomoPlugin } from '../../src/index.js';
import { adminSecret, createHarness, type Harness, type TestTenant } from '../harness.js';

// Issue 13: "One visitor can silence a tenant's widget" (the per-key limit was shared by every
// visitor of the site) and "X-Forwarded-For is trusted from anyone" (random values bypassed the
// per-IP limit).

let h: Harness;
let a: TestTenant;

beforeAll(async () => {
  h = await createHarness();
  a = await h.onboard('visitors-a', 'https://a.example');
});
afterAll(() => h.close());

async function limitedApp(trustProxy: boolean | string[] | ((address: string, hop: number) => boolean), rateLimit: { perKey?: number; perIp?: number; perVisitor?: number }): Promise<FastifyInstance> {
  const app = Fastify({ trustProxy });
  await app.register(gomomoPlugin, { pool: h.db.pool, clock: h.clock, adminSecret, rateLimit: { windowMs: 60_000, ...rateLimit } });
  return app;
}

const services = (app: FastifyInstance, key: string, from: string) =>
  app.inject({ method: 'GET', url: '/trpc/services.list', remoteAddress: from, headers: { authorization: `Bearer ${key}`, origin: 'https://a.example' } });

describe('regression: one visitor can silence a tenant\'s widget', () => {
  it('gives each visitor of a publishable key a budget of their own', async () => {
    const app = await limitedApp(false, { perVisitor: 3, perKey: 3, perIp: 100 });
    try {
      const noisy: number[] = [];
      for (let i = 0; i < 5; i++) noisy.push((await services(app, a.publishableKey, '203.0.113.7')).statusCode);
      expect(noisy).toEqual([200, 200, 200, 429, 429]);
      // Another visitor of the same site still gets answers.
      const other = await services(app, a.publishableKey, '198.51.100.9');
      expect(other.statusCode).toBe(200);
      expect(other.headers['ratelimit-limit']).toBe('3');
      expect(other.headers['ratelimit-remaining']).toBe('2');
      expect(Number(other.headers['ratelimit-reset'])).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });

  it('keeps one budget per secret key, whatever the address', async () => {
    const app = await limitedApp(false, { perVisitor: 100, perKey: 2, perIp: 100 });
    try {
      const statuses = [];
      for (const from of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) statuses.push((await services(app, a.secretKey, from)).statusCode);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await app.close();
    }
  });
});

describe('regression: X-Forwarded-For is trusted from anyone', () => {
  const spoofed = (app: FastifyInstance, i: number) =>
    app.inject({ method: 'GET', url: '/trpc/services.list', remoteAddress: '203.0.113.50', headers: { 'x-forwarded-for': `10.9.${i}.${i}` } });

  it('ignores X-Forwarded-For from a client when no proxy is trusted', async () => {
    const app = await limitedApp(false, { perIp: 3 });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await spoofed(app, i)).statusCode);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await app.close();
    }
  });

  it('ignores it from an address that is not a trusted proxy, and honours it from one that is', async () => {
    const app = await limitedApp(['10.0.0.0/8'], { perIp: 3 });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await spoofed(app, i)).statusCode);
      expect(statuses).toEqual([401, 401, 401, 429]);
      const viaProxy = [];
      for (let i = 0; i < 4; i++) {
        viaProxy.push((await app.inject({ method: 'GET', url: '/trpc/services.list', remoteAddress: '10.0.0.2', headers: { 'x-forwarded-for': `198.51.100.${i}` } })).statusCode);
      }
      expect(viaProxy).toEqual([401, 401, 401, 401]);
    } finally {
      await app.close();
    }
  });

  it('with a hop count, believes only that many proxies in front (TRUST_PROXY=1)', async () => {
    const app = await limitedApp((_address, hop) => hop < 1, { perIp: 2 });
    try {
      const statuses = [];
      // A client sends its own X-Forwarded-For; the one trusted proxy appends the real address last.
      for (let i = 0; i < 3; i++) {
        statuses.push((await app.inject({ method: 'GET', url: '/trpc/services.list', remoteAddress: '10.0.0.2', headers: { 'x-forwarded-for': `6.6.6.${i}, 203.0.113.77` } })).statusCode);
      }
      expect(statuses).toEqual([401, 401, 429]);
    } finally {
      await app.close();
    }
  });
});
