import { createHash } from 'node:crypto';
import { createBookingEngine, type BookingEngine } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, trpcData, trpcError, type Harness, type TestTenant } from '../harness.js';

// Issue 13: "An Idempotency-Key interrupted by a crash stays 'in progress' forever (409 on every
// retry; the error table tells clients to retry)". The first confirm below never returns, exactly
// as a process killed after claiming the key and before storing the result: the claim stays.

let h: Harness;
let a: TestTenant;
let hangFirstConfirm = true;

beforeAll(async () => {
  // A harness whose engine's first confirm dies mid-flight (fault injection at the engine boundary).
  h = await createHarness({
    engine: new Proxy({} as BookingEngine, {
      get: (_target, name: keyof BookingEngine) => {
        const real = createBookingEngine({ pool: h.db.pool, clock: h.clock });
        if (name === 'confirm') {
          return (input: Parameters<BookingEngine['confirm']>[0]) => {
            if (!hangFirstConfirm) return real.confirm(input);
            hangFirstConfirm = false;
            return new Promise(() => {});
          };
        }
        return real[name];
      },
    }),
  });
  a = await h.onboard('idem-a', 'https://a.example');
});
afterAll(() => h.close());

describe('regression: an Idempotency-Key interrupted by a crash stays in progress forever', () => {
  it('answers 409 while the lease runs, then lets the same request take the key over, booking once', async () => {
    const hold = trpcData<{ id: string }>(await h.call('bookings.hold', { serviceId: a.serviceId, start: '2026-12-02T15:00:00Z', sessionId: 'idem-session-1' }, { key: a.secretKey }));
    const confirm = { holdId: hold.id, sessionId: 'idem-session-1', client: { name: 'Ann Lee', email: 'ann@example.com' } };
    const headers = { 'idempotency-key': 'crash-1' };
    void h.call('bookings.confirm', confirm, { key: a.secretKey, headers });
    // Let the first request claim the key and reach the engine.
    for (let i = 0; i < 50 && hangFirstConfirm; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(hangFirstConfirm).toBe(false);

    const early = await h.call('bookings.confirm', confirm, { key: a.secretKey, headers });
    expect(early.statusCode).toBe(409);
    expect(trpcError(early)).toMatchObject({ code: 'IDEMPOTENCY_IN_PROGRESS' });
    expect(trpcError(early).message).toMatch(/retry after \d+ s/);

    h.clock.advance(61_000);
    const other = await h.call('bookings.confirm', { ...confirm, notes: 'different' }, { key: a.secretKey, headers });
    expect(trpcError(other).code).toBe('IDEMPOTENCY_MISMATCH');
    const retried = await h.call('bookings.confirm', confirm, { key: a.secretKey, headers });
    expect(retried.statusCode, retried.body).toBe(200);
    const again = await h.call('bookings.confirm', confirm, { key: a.secretKey, headers });
    expect(again.json()).toEqual(retried.json());
    const { rows } = await h.db.pool.query("SELECT count(*)::int AS n FROM appointments WHERE tenant_id = $1 AND status = 'booked'", [a.id]);
    expect(rows[0].n).toBe(1);
  });

  it('treats a claim left by an older server (no lease) as leased from its creation', async () => {
    const input = { reference: 'GM-XXXXX' };
    const requestHash = createHash('sha256').update('bookings.cancel').update('\0').update(JSON.stringify(input)).digest('hex');
    await h.db.pool.query(
      "INSERT INTO idempotency_keys (tenant_id, key, procedure, request_hash, created_at) VALUES ($1, 'legacy-1', 'bookings.cancel', $2, $3::timestamptz - interval '1 hour')",
      [a.id, requestHash, h.clock.now()],
    );
    const response = await h.call('bookings.cancel', input, { key: a.secretKey, headers: { 'idempotency-key': 'legacy-1' } });
    // Taken over and really run: the reference does not exist, so 404, not 409 "in progress".
    expect(trpcError(response).code).toBe('NOT_FOUND');
  });
});
