import { z } from 'zod';
import type { Queryable } from '../db/pool.js';
import { BookingError } from '../errors.js';
import { parseInput } from '../validation/parse.js';
import type { OpeningInterval } from '../read-models/tenant-views.js';
import { dateOverrideSchema, openingHoursSchema } from './schemas.js';

/** A business-wide date override as stored: a closed day (no times) or special hours. */
export interface DateOverride {
  date: string;
  opens: string | null;
  closes: string | null;
  reason: string;
}

const hoursSchema = z.object({ hours: z.array(openingHoursSchema).max(50) });
const overridesSchema = z.object({ overrides: z.array(dateOverrideSchema.refine((o) => o.resource === undefined, { message: 'resource overrides are set per resource', path: ['resource'] })).max(500) });

/**
 * Replaces the weekly hours of the business (`resourceId` null) or of one resource with `hours`
 * (already validated), inside the caller's transaction: one statement to clear, one to insert.
 */
export async function replaceWeeklyHours(client: Queryable, input: { tenantId: string; resourceId: string | null; hours: OpeningInterval[] }): Promise<void> {
  await client.query(`DELETE FROM business_hours WHERE tenant_id = $1 AND ${input.resourceId === null ? 'resource_id IS NULL' : 'resource_id = $2'}`, input.resourceId === null ? [input.tenantId] : [input.tenantId, input.resourceId]);
  if (input.hours.length === 0) return;
  await client.query(
    `INSERT INTO business_hours (tenant_id, resource_id, weekday, opens_at, closes_at)
     SELECT $1, $2, h.weekday, h.opens, h.closes FROM jsonb_to_recordset($3::jsonb) AS h (weekday integer, opens time, closes time)`,
    [input.tenantId, input.resourceId, JSON.stringify(input.hours.map((h) => ({ weekday: h.weekday, opens: h.opens, closes: h.closes })))],
  );
}

/**
 * Replaces the business's weekly opening hours (not a resource's own) with `hours`, validated by the
 * same schema as onboarding, inside the caller's transaction. Holds follow at once (the change
 * moves the tenant's schedule version, migration 0106, which every hold's claim checks), and
 * availability from memory within its cache's time to live (a host sets about a second).
 */
export async function replaceOpeningHours(client: Queryable, tenantId: string, hours: unknown): Promise<OpeningInterval[]> {
  // Parsed under its name, so a field error reads `hours.2.closes` as the console and API send it.
  const parsed = parseInput(hoursSchema, { hours }).hours;
  await replaceWeeklyHours(client, { tenantId, resourceId: null, hours: parsed });
  return parsed.map((h) => ({ weekday: h.weekday, opens: h.opens, closes: h.closes }));
}

/** The business-wide date overrides (closed days, special hours) from `fromDate` on, by date. */
export async function readDateOverrides(client: Queryable, tenantId: string, fromDate: string): Promise<DateOverride[]> {
  const { rows } = await client.query<DateOverride>(
    `SELECT to_char(on_date, 'YYYY-MM-DD') AS date, to_char(opens_at, 'HH24:MI') AS opens, to_char(closes_at, 'HH24:MI') AS closes, reason
       FROM date_overrides WHERE tenant_id = $1 AND resource_id IS NULL AND on_date >= $2::date ORDER BY on_date, opens_at NULLS FIRST`,
    [tenantId, fromDate],
  );
  return rows;
}

/** Replaces the business-wide date overrides from `fromDate` on (past ones are history and stay). */
export async function replaceDateOverrides(client: Queryable, input: { tenantId: string; fromDate: string; overrides: unknown }): Promise<DateOverride[]> {
  const parsed = parseInput(overridesSchema, { overrides: input.overrides }).overrides;
  await client.query('DELETE FROM date_overrides WHERE tenant_id = $1 AND resource_id IS NULL AND on_date >= $2::date', [input.tenantId, input.fromDate]);
  for (const o of parsed) {
    await client.query('INSERT INTO date_overrides (tenant_id, on_date, opens_at, closes_at, reason) VALUES ($1, $2, $3, $4, $5)', [input.tenantId, o.date, o.opens ?? null, o.closes ?? null, o.reason]);
  }
  return readDateOverrides(client, input.tenantId, input.fromDate);
}

/**
 * One resource's own date overrides from `fromDate` on (a staff member's day off, a room's special
 * hours). On such a day they replace every other rule for that resource, the business's overrides
 * included; the availability reads, the hours cache and the hold's check (`gomomo_bookable_hours`,
 * or the hours cache and the claim's schedule version) all read them already, as onboarding's
 * `overrides[].resource` writes them.
 */
export async function readResourceDateOverrides(client: Queryable, input: { tenantId: string; resourceId: string; fromDate: string }): Promise<DateOverride[]> {
  const { rows } = await client.query<DateOverride>(
    `SELECT to_char(on_date, 'YYYY-MM-DD') AS date, to_char(opens_at, 'HH24:MI') AS opens, to_char(closes_at, 'HH24:MI') AS closes, reason
       FROM date_overrides WHERE tenant_id = $1 AND resource_id = $2 AND on_date >= $3::date ORDER BY on_date, opens_at NULLS FIRST`,
    [input.tenantId, input.resourceId, input.fromDate],
  );
  return rows;
}

/** Replaces one resource's own date overrides from `fromDate` on, inside the caller's transaction (past ones stay). */
export async function replaceResourceDateOverrides(client: Queryable, input: { tenantId: string; resourceId: string; fromDate: string; overrides: unknown }): Promise<DateOverride[]> {
  const parsed = parseInput(overridesSchema, { overrides: input.overrides }).overrides;
  // Locks the resource row, so two owners saving at once leave one list, not both merged.
  const { rowCount } = await client.query('SELECT 1 FROM resources WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [input.tenantId, input.resourceId]);
  if (rowCount === 0) throw new BookingError('NOT_FOUND', `resourceId: no resource ${input.resourceId} here`, { field: 'resourceId' });
  await client.query('DELETE FROM date_overrides WHERE tenant_id = $1 AND resource_id = $2 AND on_date >= $3::date', [input.tenantId, input.resourceId, input.fromDate]);
  for (const o of parsed) {
    await client.query('INSERT INTO date_overrides (tenant_id, resource_id, on_date, opens_at, closes_at, reason) VALUES ($1, $2, $3, $4, $5, $6)', [input.tenantId, input.resourceId, o.date, o.opens ?? null, o.closes ?? null, o.reason]);
  }
  return readResourceDateOverrides(client, input);
}
