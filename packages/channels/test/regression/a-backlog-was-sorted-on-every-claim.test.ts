// Issue 15: the sender's claim asked for waiting rows and lapsed leases in one `OR`, which no index
// answers in order, so Postgres read every due row and sorted them on every claim. With 20,000
// messages waiting (a provider's outage, say) a claim of ten took 6.8 ms instead of 0.05, and
// draining n messages in claims of 50 read n²/50 rows. Now each kind is read in the order of its
// own partial index, at most `limit` of each, and the earliest due of both are claimed. Rows read
// are counted by Postgres' table statistics on the claim's own connection.
import { createPool, type Pool } from '@gomomo/core';
import { createTestDatabase, tableRowsRead, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { claimDueMessages } from '../../src/outbox/claim.js';
import { makeTenant } from '../helpers.js';

let db: TestDatabase;
let one: Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  // One connection, so the statistics it flushes are the claim's.
  one = createPool(db.url, { max: 1 });
});

afterAll(async () => {
  await one?.end();
  await db?.drop();
});

it('claims the earliest due of a backlog of 3,000 without reading the backlog', async () => {
  const tenantId = await makeTenant(db.pool);
  const now = new Date('2026-12-01T12:00:00Z');
  const insert = (rows: string) =>
    db.pool.query(
      `INSERT INTO notification_outbox (tenant_id, channel, template, recipient, body, idempotency_key, status, next_attempt_at, lease_until, claimed_at)
       SELECT $1, 'email', 'confirmation', 'backlog@example.com', 'Booked', k, status, next_attempt_at, lease_until, claimed_at
         FROM (${rows}) AS r (k, status, next_attempt_at, lease_until, claimed_at)`,
      [tenantId],
    );
  // The backlog: waiting since one to 3,000 minutes ago, the oldest first in line.
  await insert(
    `SELECT 'waiting-' || g, 'pending', timestamptz '2026-12-01T12:00:00Z' - g * interval '1 minute', NULL::timestamptz, NULL::timestamptz FROM generate_series(1, 3000) AS g`,
  );
  // A dead sender's row, due before all but the oldest waiting one; a live sender's; one not due yet.
  await insert(
    `VALUES ('lapsed', 'sending', timestamptz '2026-12-01T12:00:00Z' - interval '2999 minutes 30 seconds', timestamptz '2026-12-01T11:59:00Z', timestamptz '2026-12-01T11:58:00Z'),
            ('leased', 'sending', timestamptz '2026-12-01T12:00:00Z' - interval '5000 minutes', timestamptz '2026-12-01T12:05:00Z', timestamptz '2026-12-01T11:59:00Z'),
            ('later', 'pending', timestamptz '2026-12-01T12:30:00Z', NULL::timestamptz, NULL::timestamptz)`,
  );
  await db.pool.query('ANALYZE notification_outbox');

  const before = await tableRowsRead(one, 'notification_outbox', one);
  const claimed = await claimDueMessages(one, { now, limit: 10, leaseMs: 60_000 });
  const read = (await tableRowsRead(one, 'notification_outbox', one)) - before;

  // The ten earliest due: the oldest waiting row, the lapsed lease, then the next eight waiting.
  const { rows: keys } = await db.pool.query<{ id: string; key: string }>('SELECT id, idempotency_key AS key FROM notification_outbox WHERE id = ANY($1)', [claimed.map((m) => m.id)]);
  const keyOf = new Map(keys.map((row) => [row.id, row.key]));
  expect(claimed.map((m) => keyOf.get(m.id)).sort()).toEqual(['lapsed', 'waiting-3000', ...Array.from({ length: 8 }, (_, i) => `waiting-${2999 - i}`)].sort());
  expect(claimed.find((m) => keyOf.get(m.id) === 'lapsed')?.previousStatus).toBe('sending');
  // Ten of each kind at most, not the backlog.
  expect(read).toBeGreaterThan(0);
  expect(read).toBeLessThanOrEqual(40);
});
