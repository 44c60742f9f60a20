import { Writable } from 'node:stream';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gomomoPlugin, redactSecrets, redactUrl } from '../src/index.js';
import { adminSecret } from './harness.js';

describe('redactSecrets', () => {
  it.each([
    [`Bearer sk_live_${'x'.repeat(32)}`, 'Bearer sk_live_[redacted]'],
    ['key=pk_live_0123456789abcdefghijABCDEFGHIJ0123&x=1', 'key=pk_live_[redacted]&x=1'],
    ['token gms_q2Yk0b3Vv9fJm1x8TtLr4WcZ7uNa5EoHs6GdPiRjK0w!', 'token gm_[redacted]!'],
    ['ticket gmt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'ticket gm_[redacted]'],
    ['device gmd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'device gm_[redacted]'],
    ['link https://clinic.example/book#gomomo-offer=gmo_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'link https://clinic.example/book#gomomo-offer=gm_[redacted]'],
    ['mail ana.silva+x@example.co.uk now', 'mail [email] now'],
    ['encoded ana%40example.com', 'encoded [email]'],
    ['call +12025550777.', 'call [phone].'],
    ['encoded %2B12025550777', 'encoded [phone]'],
    ['GM-AB123 at 2026-12-01T15:00:00Z, event 12345678', 'GM-AB123 at 2026-12-01T15:00:00Z, event 12345678'],
  ])('masks %j', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });
});

describe('redactUrl', () => {
  it.each([
    ['/trpc/chat.history?input=%7B%22sessionId%22%3A%22x%22%7D', '/trpc/chat.history?[redacted]'],
    ['/trpc/chat.events?input=%7B%7D&connectionParams=%7B%22apiKey%22%3A%22sk_live_x%22%7D', '/trpc/chat.events?[redacted]'],
    ['/api/v1/bookings/GM-AB123', '/api/v1/bookings/GM-AB123'],
    ['/api/v1/clients/ana@example.com', '/api/v1/clients/[email]'],
    ['/v1/ics/ics_q2Yk0b3Vv9fJm1x8TtLr4WcZ7uNa5EoHs6GdPiRjK0w.ics', '/v1/ics/ics_[redacted].ics'],
  ])('shows %s as %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe('the plugin\'s request log', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('keeps query strings and keys out of the log of its routes even when the host app sets no serializers', async () => {
    let log = '';
    const stream = new Writable({ write: (chunk, _encoding, done) => ((log += String(chunk)), done()) });
    const app = Fastify({ logger: { level: 'info', stream } });
    await app.register(gomomoPlugin, { pool: db.pool, adminSecret, rateLimit: false });
    const key = 'sk_live_0123456789abcdefghijABCDEFGHIJ01';
    await app.inject({ method: 'GET', url: `/trpc/chat.events?input=%7B%7D&connectionParams=${encodeURIComponent(JSON.stringify({ apiKey: key }))}` });
    await app.inject({ method: 'GET', url: `/trpc/bookings.list?input=${encodeURIComponent(JSON.stringify({ email: 'ana@example.com' }))}`, headers: { authorization: `Bearer ${key}` } });
    await app.close();
    expect(log).toContain('/trpc/bookings.list?[redacted]');
    expect(log).not.toContain('sk_live_0123');
    expect(log).not.toContain('ana');
  });
});
