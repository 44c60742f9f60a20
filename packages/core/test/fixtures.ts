// Shared set-up for the booking tests: a small tenant whose hours never get in the way, a clock
// fixed to a known instant, and helpers to read what the database holds.
import { DateTime } from 'luxon';
import { afterAll, beforeAll } from 'vitest';
import { migrate } from '../src/db/migrate.js';
import { createPool, type Pool } from '../src/db/pool.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../src/testing/index.js';
import { createTenant } from '../src/tenants/tenants.js';
import { readServices, readResources } from '../src/tenants/tenants.js';
import { withTenant } from '../src/db/transaction.js';
import type { Resource, Service, Tenant } from '../src/tenants/types.js';

export const zone = 'America/New_York';

/** Tuesday 1 December 2026, 07:00 in New York. */
export const testNow = '2026-12-01T12:00:00.000Z';

/** An instant on a local wall-clock time in the tenant's zone, e.g. at('2026-12-02 10:00'). */
export function at(local: string): string {
  return DateTime.fromFormat(local, 'yyyy-MM-dd HH:mm', { zone }).toISO()!;
}

export interface BookingTenant {
  tenant: Tenant;
  /** 30 minutes, any resource, no buffers. */
  consult: Service;
  /** 30 minutes with 10 minutes before and 15 after. */
  buffered: Service;
  /** 30 minutes, only Dr. Chen. */
  chenOnly: Service;
  chen: Resource;
  rivera: Resource;
}

/** A clinic open every day 00:00–23:59 with no minimum notice, so only claims decide. */
export async function createBookingTenant(pool: Pool, slug: string): Promise<BookingTenant> {
  const tenant = await createTenant(pool, {
    name: `Clinic ${slug}`,
    slug,
    timeZone: zone,
    minNoticeMinutes: 0,
    slotIntervalMinutes: 15,
    resources: [{ name: 'Dr. Chen' }, { name: 'Dr. Rivera' }],
    services: [
      { name: 'Consultation', durationMinutes: 30 },
      { name: 'Buffered', durationMinutes: 30, bufferBeforeMinutes: 10, bufferAfterMinutes: 15 },
      { name: 'Chen only', durationMinutes: 30, resources: ['Dr. Chen'] },
    ],
    hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '23:59' })),
  });
  const { services, resources } = await withTenant(pool, tenant.id, async (client) => ({
    services: await readServices(client, tenant.id),
    resources: await readResources(client, tenant.id),
  }));
  const byName = (name: string) => services.find((s) => s.name === name)!;
  return {
    tenant,
    consult: byName('Consultation'),
    buffered: byName('Buffered'),
    chenOnly: byName('Chen only'),
    chen: resources.find((r) => r.name === 'Dr. Chen')!,
    rivera: resources.find((r) => r.name === 'Dr. Rivera')!,
  };
}

/** Counts rows of a table for one tenant (as the owner, bypassing nothing but the tenant filter). */
export async function countRows(pool: Pool, table: string, where = 'true'): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`);
  return rows[0]!.n;
}

/** Active claims on one resource that overlap each other; must always be empty. */
export async function overlappingClaims(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM claims a JOIN claims b
        ON a.tenant_id = b.tenant_id AND a.resource_id = b.resource_id AND a.id < b.id AND a.during && b.during
      WHERE a.is_active AND b.is_active`,
  );
  return rows[0]!.n;
}

export const client = { name: 'Ada Lovelace', email: 'Ada@Example.com', phone: '+15551230001' };

/** Catches the rejection of `promise` so a test can assert on it. */
export async function failureOf(promise: Promise<unknown>): Promise<{ code?: string; field?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; field?: string; message: string };
  }
  throw new Error('expected the operation to fail');
}

/**
 * A migrated cluster of the file's own, started with pg_stat_statements preloaded (the shared test
 * cluster is not), for tests that count what Postgres ran. Registers its own set-up and tear-down;
 * the returned getter gives the pool (two connections) once `beforeAll` has run.
 */
export function useStatementStatsCluster(): () => Pool {
  let server: ThrowawayPostgres | undefined;
  let pool: Pool | undefined;
  beforeAll(async () => {
    server = await startThrowawayPostgres({ withStatementStats: true });
    pool = createPool(server.url, { max: 2 });
    await migrate(pool);
    await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  }, 120_000);
  afterAll(async () => {
    await pool?.end();
    await server?.stop();
  });
  return () => pool!;
}
