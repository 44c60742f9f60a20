// Issue 15: every booking set five transaction-local settings with `PERFORM set_config(…)`: three
// entering the tenant (`gomomo_enter_tenant`), one remembering each event for the notification
// (`gomomo_notify_event`), one clearing them at commit (`gomomo_notify_once`). In PL/pgSQL a
// PERFORM runs a whole query: executor start, run and end. About 16 µs of Postgres CPU per confirm
// on one connection. Migrations 0104 and 0122 assign the result instead, which PL/pgSQL evaluates
// as a simple expression, with no query. pg_stat_statements sees every query a function runs (with
// `track = all`) and no simple expression, so it counts what is left: nothing. Needs a cluster
// started with it preloaded: one of this file's own.
import type pg from 'pg';
import { beforeEach, expect, it } from 'vitest';
import type { Pool } from '../../src/db/pool.js';
import { useStatementStatsCluster } from '../fixtures.js';

const statsPool = useStatementStatsCluster();
let pool: Pool;
beforeEach(() => {
  pool = statsPool();
});

/** The next notification on `client`'s connection. */
function nextNotification(client: pg.PoolClient): Promise<{ channel: string; payload: string | undefined }> {
  return new Promise((resolve) => client.once('notification', (message) => resolve({ channel: message.channel, payload: message.payload })));
}

it('entering a tenant, recording an event and an outbox message, and committing run no query for a setting', async () => {
  const { rows: tenants } = await pool.query<{ id: string }>("INSERT INTO tenants (slug, name, time_zone) VALUES ('settings-no-query', 'Settings', 'UTC') RETURNING id");
  const tenantId = tenants[0]!.id;
  const client = await pool.connect();
  const listener = await pool.connect();
  try {
    await listener.query('LISTEN gomomo_events');
    await client.query("SET pg_stat_statements.track = 'all'");
    await client.query('SELECT pg_stat_statements_reset()');

    await client.query('BEGIN');
    await client.query("SELECT gomomo_enter_tenant($1, 'corr-settings')", [tenantId]);
    // The settings took, as before: the role, the tenant and the correlation id.
    const { rows: entered } = await client.query<{ role: string; tenant: string; correlation: string }>(
      "SELECT current_user AS role, current_setting('app.tenant_id') AS tenant, current_setting('gomomo.correlation_id') AS correlation",
    );
    expect(entered).toEqual([{ role: 'gomomo_app', tenant: tenantId, correlation: 'corr-settings' }]);
    const { rows: events } = await client.query<{ id: string }>(
      "INSERT INTO domain_events (tenant_id, type, occurred_at) VALUES ($1, 'booking.created', now()), ($1, 'booking.cancelled', now()) RETURNING id",
      [tenantId],
    );
    await client.query(
      "INSERT INTO notification_outbox (tenant_id, channel, template, recipient, body, idempotency_key) VALUES ($1, 'email', 'confirmation', 'ada@example.com', 'Booked', 'settings-no-query')",
      [tenantId],
    );
    const notified = nextNotification(listener);
    await client.query('COMMIT');

    // One notification at commit names both events and the outbox, as migrations 0008 and 0067 say.
    expect(await notified).toEqual({ channel: 'gomomo_events', payload: `${tenantId}:${events[0]!.id};${tenantId}:${events[1]!.id};outbox` });
    const { rows: counted } = await client.query<{ queries: string[] }>(
      "SELECT coalesce(array_agg(query ORDER BY query), '{}') AS queries FROM pg_stat_statements WHERE query ILIKE '%set_config%' AND query NOT ILIKE '%pg_stat_statements%'",
    );
    expect(counted[0]!.queries).toEqual([]);
  } finally {
    await listener.query('UNLISTEN *');
    client.release();
    listener.release();
  }
});
