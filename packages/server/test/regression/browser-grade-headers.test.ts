import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gomomoHostOptions, gomomoPlugin } from '../../src/index.js';
import { adminSecret, createHarness, type Harness, type TestTenant } from '../harness.js';

// Issue 13, the smaller findings: CORS preflight on REST answered 404, tRPC answers lost
// `Vary: Origin`, no security headers anywhere, no cap on open event streams, no tRPC batch cap,
// fastify's own 414/431 outside the gomomo error shape.

let h: Harness;
let a: TestTenant;

beforeAll(async () => {
  h = await createHarness({ widgetScriptPath: '/nonexistent/widget.js' });
  a = await h.onboard('headers-a', 'https://a.example');
});
afterAll(() => h.close());

describe('regression: CORS preflight on REST routes answers 404', () => {
  it.each(['/api/v1/services', '/api/v1/availability', '/api/v1/chat/messages', '/api/v1/bookings/GM-ABCDE/cancel'])('answers the preflight of %s for an allowed origin', async (url) => {
    const response = await h.app.inject({ method: 'OPTIONS', url, headers: { origin: 'https://a.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://a.example');
    expect(response.headers['access-control-allow-headers']).toContain('authorization');
  });

  it('lets a browser then call REST with the publishable key', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/api/v1/services', headers: { origin: 'https://a.example', authorization: `Bearer ${a.publishableKey}` } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe('https://a.example');
  });

  it('opens no preflight to an origin no tenant allows', async () => {
    const response = await h.app.inject({ method: 'OPTIONS', url: '/api/v1/services', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('regression: tRPC answers lose Vary: Origin', () => {
  it.each([
    ['a tRPC answer', () => h.call('services.list', undefined, { key: a.publishableKey, origin: 'https://a.example' })],
    ['a tRPC error', () => h.call('services.list', undefined, { key: 'pk_live_nope', origin: 'https://a.example' })],
    ['a REST answer', () => h.app.inject({ method: 'GET', url: '/api/v1/services', headers: { origin: 'https://a.example', authorization: `Bearer ${a.secretKey}` } })],
    ['a preflight', () => h.app.inject({ method: 'OPTIONS', url: '/trpc/chat.send', headers: { origin: 'https://a.example', 'access-control-request-method': 'POST' } })],
  ])('sends Vary: Origin on %s', async (_label, send) => {
    const response = await send();
    expect(String(response.headers.vary).split(',').map((v) => v.trim().toLowerCase())).toContain('origin');
  });
});

describe('regression: no security headers on any page or script', () => {
  it.each([
    ['a tRPC answer', () => h.call('services.list', undefined, { key: a.secretKey })],
    ['a REST answer', () => h.app.inject({ method: 'GET', url: '/api/v1/services', headers: { authorization: `Bearer ${a.secretKey}` } })],
    ['the OpenAPI document', () => h.app.inject({ method: 'GET', url: '/openapi.json' })],
    ['an error', () => h.app.inject({ method: 'GET', url: '/trpc/nope.nope' })],
  ])('sends nosniff, a referrer policy, a permissions policy and a CSP forbidding framing on %s', async (_label, send) => {
    const response = await send();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(response.headers['permissions-policy']).toContain('camera=()');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });

  it('keeps the widget script loadable from any site (no CSP, cross-origin resource policy) and nosniff', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/widget.js', headers: { origin: 'https://anywhere.example' } });
    expect(response.headers['content-type']).toContain('javascript');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBeUndefined();
  });

  it('sends HSTS when the request came over HTTPS through a trusted proxy', async () => {
    const app = Fastify({ trustProxy: ['127.0.0.1'] });
    await app.register(gomomoPlugin, { pool: h.db.pool, clock: h.clock, adminSecret, rateLimit: false });
    try {
      const response = await app.inject({ method: 'GET', url: '/openapi.json', headers: { 'x-forwarded-proto': 'https' } });
      expect(response.headers['strict-transport-security']).toMatch(/^max-age=\d{8}; includeSubDomains$/);
    } finally {
      await app.close();
    }
  });
});

describe('regression: no tRPC maxBatchSize (one rate-limited request runs ten chat.send)', () => {
  it('refuses a batch over the cap with 400, and charges every call of a batch to the limits', async () => {
    // A long path segment would be refused as 414 first; the cap must hold on hosts that allow more.
    const app = Fastify({ maxParamLength: 1000 });
    await app.register(gomomoPlugin, { pool: h.db.pool, clock: h.clock, adminSecret, maxBatchSize: 3, rateLimit: { perKey: 4, perIp: 100 } });
    const batch = (n: number) =>
      app.inject({ method: 'GET', url: `/trpc/${Array(n).fill('services.list').join(',')}?batch=1&input={}`, headers: { authorization: `Bearer ${a.secretKey}` } });
    try {
      const tooBig = await app.inject({ method: 'GET', url: `/trpc/${Array(11).fill('services.list').join(',')}?batch=1&input={}`, headers: { authorization: `Bearer ${a.publishableKey}`, origin: 'https://a.example' } });
      expect(tooBig.statusCode).toBe(400);
      expect((await batch(3)).statusCode).toBe(200);
      expect((await batch(2)).statusCode).toBe(429);
    } finally {
      await app.close();
    }
  });
});

describe('regression: no cap on concurrent event streams per key', () => {
  // Streams open with a single-use ticket (EventSource sends no headers), so the cap counts a
  // browser's streams per client address; a caller presenting its key in a header is counted by key.
  let streams: Harness;
  let port: number;
  let token: string;
  let visitor: TestTenant;

  beforeAll(async () => {
    streams = await createHarness({ withReceptionist: true, rateLimit: false, streams: { perKey: 2, perVisitor: 2 } });
    visitor = await streams.onboard('streams-a', 'https://streams.example');
    const started = (await streams.call('chat.send', { text: 'Hello' }, { key: visitor.publishableKey, origin: visitor.origin })).json() as { result: { data: { sessionToken: string } } };
    token = started.result.data.sessionToken;
    port = Number(new URL(await streams.app.listen({ port: 0, host: '127.0.0.1' })).port);
  });
  afterAll(() => streams.close());

  async function openStream(): Promise<{ status: number; close: () => void }> {
    const ticketResponse = await streams.call('chat.streamTicket', {}, { key: visitor.publishableKey, origin: visitor.origin, headers: { 'x-gomomo-session': token } });
    const { ticket } = (ticketResponse.json() as { result: { data: { ticket: string } } }).result.data;
    const query = `input=${encodeURIComponent('{}')}&connectionParams=${encodeURIComponent(JSON.stringify({ ticket }))}`;
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: `/trpc/chat.events?${query}`, headers: { accept: 'text/event-stream', origin: visitor.origin } }, (res) => {
        resolve({ status: res.statusCode ?? 0, close: () => req.destroy() });
        res.resume();
      });
      req.on('error', (error) => (error.message.includes('socket hang up') ? undefined : reject(error)));
      req.end();
    });
  }

  it('refuses a stream over the cap with 429, and takes one again once a stream closes', async () => {
    const first = await openStream();
    const second = await openStream();
    const third = await openStream();
    expect([first.status, second.status, third.status]).toEqual([200, 200, 429]);
    third.close();
    first.close();
    let again = await openStream();
    for (let i = 0; i < 20 && again.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      again.close();
      again = await openStream();
    }
    expect(again.status).toBe(200);
    second.close();
    again.close();
  });
});

describe('regression: Fastify\'s own 414/431 answers are not in the gomomo error shape', () => {
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    app = Fastify({ ...gomomoHostOptions(), maxParamLength: 100 });
    await app.register(gomomoPlugin, { pool: h.db.pool, clock: h.clock, adminSecret, rateLimit: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(() => app.close());

  function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('answers a too-long path segment with 414 in the one shape', async () => {
    const response = await get(`/trpc/${'a'.repeat(300)}`);
    expect(response.status).toBe(414);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.stringContaining('too long') } });
  });

  it('answers oversized headers with 431 in the one shape', async () => {
    const response = await get('/openapi.json', { 'x-padding': 'x'.repeat(20_000) });
    expect(response.status).toBe(431);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.stringContaining('headers') } });
  });

  it('answers a wrong content type with 415 in the one shape', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/chat/messages', headers: { authorization: `Bearer ${a.secretKey}`, 'content-type': 'text/xml' }, payload: '<a/>' });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });
});
