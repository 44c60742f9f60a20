import type { Pool, Queryable } from '../db/pool.js';
import { sqlState, withTenant, withTransaction } from '../db/transaction.js';
import { BookingError } from '../errors.js';
import { parseInput, uuidSchema } from '../validation/parse.js';
import { replaceWeeklyHours } from './schedule.js';
import { tenantInputSchema, type TenantInput } from './schemas.js';
import type { Resource, Service, Tenant } from './types.js';

const tenantColumns = `id, slug, name, time_zone AS "timeZone", lookahead_days AS "lookaheadDays",
  min_notice_minutes AS "minNoticeMinutes", slot_interval_minutes AS "slotIntervalMinutes",
  hold_ttl_seconds AS "holdTtlSeconds", settings`;

/**
 * Onboards a business in one transaction: the tenant, its resources (one "Default" when none are
 * given), services, weekly hours and date overrides. A duplicate slug is a `CONFLICT`.
 */
export async function createTenant(pool: Pool, input: TenantInput): Promise<Tenant> {
  const data = parseTenantInput(input);
  return withTransaction(pool, (client) => insertParsedTenant(client, data));
}

/**
 * `createTenant` inside a transaction the caller owns (run as the owner role, e.g. in
 * `withTransaction`), so onboarding can write the tenant and its own rows (keys, origins) as one
 * change. Validation happens before anything is written.
 */
export async function insertTenant(client: Queryable, input: TenantInput): Promise<Tenant> {
  return insertParsedTenant(client, parseTenantInput(input));
}

type ParsedTenantInput = ReturnType<typeof parseTenantInput>;

function parseTenantInput(input: TenantInput) {
  const data = parseInput(tenantInputSchema, input);
  const resources = data.resources.length > 0 ? data.resources : [{ name: 'Default', kind: 'staff' as const, hours: undefined }];
  const resourceNames = new Set(resources.map((r) => r.name));
  data.services.forEach((service, index) => {
    service.resources?.forEach((name, j) => {
      if (!resourceNames.has(name)) {
        throw new BookingError('VALIDATION', `services.${index}.resources.${j}: no resource is named "${name}"`, { field: `services.${index}.resources.${j}` });
      }
    });
  });
  rejectDuplicateNames(resources, 'resources');
  rejectDuplicateNames(data.services, 'services');
  data.overrides.forEach((override, index) => {
    if (override.resource !== undefined && !resourceNames.has(override.resource)) {
      throw new BookingError('VALIDATION', `overrides.${index}.resource: no resource is named "${override.resource}"`, { field: `overrides.${index}.resource` });
    }
  });

  return { ...data, resources };
}

/** Names are unique per tenant (a UNIQUE constraint); say which one repeats before writing anything. */
function rejectDuplicateNames(items: { name: string }[], field: string): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.name)) {
      throw new BookingError('VALIDATION', `${field}.${index}.name: "${item.name}" is used twice`, { field: `${field}.${index}.name` });
    }
    seen.add(item.name);
  });
}

async function insertParsedTenant(client: Queryable, data: ParsedTenantInput): Promise<Tenant> {
  let tenant: Tenant;
  try {
    const { rows } = await client.query<Tenant>(
      `INSERT INTO tenants (slug, name, time_zone, lookahead_days, min_notice_minutes, slot_interval_minutes, hold_ttl_seconds, settings)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${tenantColumns}`,
      [data.slug, data.name, data.timeZone, data.lookaheadDays, data.minNoticeMinutes, data.slotIntervalMinutes, data.holdTtlSeconds, data.settings],
    );
    tenant = rows[0]!;
  } catch (error) {
    if (sqlState(error) === '23505') {
      throw new BookingError('CONFLICT', `A tenant with slug "${data.slug}" already exists`, { field: 'slug', cause: error });
    }
    throw error;
  }
  const resourceIds = new Map<string, string>();
  for (const resource of data.resources) {
    const inserted = await client.query<{ id: string }>('INSERT INTO resources (tenant_id, name, kind) VALUES ($1, $2, $3) RETURNING id', [tenant.id, resource.name, resource.kind]);
    resourceIds.set(resource.name, inserted.rows[0]!.id);
    await replaceWeeklyHours(client, { tenantId: tenant.id, resourceId: inserted.rows[0]!.id, hours: resource.hours ?? [] });
  }
  await replaceWeeklyHours(client, { tenantId: tenant.id, resourceId: null, hours: data.hours });
  for (const o of data.overrides) {
    await client.query('INSERT INTO date_overrides (tenant_id, resource_id, on_date, opens_at, closes_at, reason) VALUES ($1, $2, $3, $4, $5, $6)', [
      tenant.id,
      o.resource === undefined ? null : resourceIds.get(o.resource),
      o.date,
      o.opens ?? null,
      o.closes ?? null,
      o.reason,
    ]);
  }
  for (const service of data.services) {
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO services (tenant_id, name, description, duration_minutes, buffer_before_minutes, buffer_after_minutes, price_cents, currency, change_deadline_hours)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        tenant.id,
        service.name,
        service.description,
        service.durationMinutes,
        service.bufferBeforeMinutes,
        service.bufferAfterMinutes,
        service.priceCents ?? null,
        service.currency ?? null,
        service.changeDeadlineHours,
      ],
    );
    for (const name of service.resources ?? []) {
      await client.query('INSERT INTO service_resources (tenant_id, service_id, resource_id) VALUES ($1, $2, $3)', [tenant.id, inserted.rows[0]!.id, resourceIds.get(name)]);
    }
  }
  return tenant;
}

/** Reads a tenant by id inside its own scope; `NOT_FOUND` when it does not exist. */
export async function getTenant(pool: Pool, tenantId: string): Promise<Tenant> {
  parseInput(uuidSchema, tenantId);
  return withTenant(pool, tenantId, (client) => readTenant(client, tenantId), { isolation: 'read committed' });
}

/** Finds a tenant by its slug, across tenants (for routing a request to its tenant). */
export async function findTenantBySlug(pool: Pool, slug: string): Promise<Tenant | null> {
  const { rows } = await pool.query<Tenant>(`SELECT ${tenantColumns} FROM tenants WHERE slug = $1`, [slug]);
  return rows[0] ?? null;
}

/** Reads the tenant inside an open transaction. */
export async function readTenant(client: Queryable, tenantId: string): Promise<Tenant> {
  const tenant = await findTenant(client, tenantId);
  if (!tenant) throw new BookingError('NOT_FOUND', `Tenant ${tenantId} does not exist`, { field: 'tenantId' });
  return tenant;
}

/** Reads the tenant inside an open transaction; null when it does not exist (for callers with their own error). */
export async function findTenant(client: Queryable, tenantId: string): Promise<Tenant | null> {
  // Named, so each connection plans it once: it runs on every request.
  const { rows } = await client.query<Tenant>({ name: 'gomomo_read_tenant', text: `SELECT ${tenantColumns} FROM tenants WHERE id = $1`, values: [tenantId] });
  return rows[0] ?? null;
}

/** The tenant's active services, with the resources that can perform each. */
export async function listServices(pool: Pool, tenantId: string): Promise<Service[]> {
  return withTenant(pool, tenantId, (client) => readServices(client, tenantId), { isolation: 'read committed' });
}

/** Reads the active services inside an open transaction, in one round trip. */
export async function readServices(client: Queryable, tenantId: string): Promise<Service[]> {
  // A service names the resources that can do it; one that names none can be done by any
  // active resource. Inactive resources never count.
  const { rows } = await client.query<Service>({
    name: 'gomomo_read_services',
    text: `SELECT s.id, s.name, s.description, s.duration_minutes AS "durationMinutes",
            s.buffer_before_minutes AS "bufferBeforeMinutes", s.buffer_after_minutes AS "bufferAfterMinutes",
            s.price_cents AS "priceCents", s.currency, s.change_deadline_hours AS "changeDeadlineHours",
            CASE WHEN EXISTS (SELECT 1 FROM service_resources sr WHERE sr.service_id = s.id)
                 THEN coalesce((SELECT array_agg(r.id ORDER BY r.name) FROM service_resources sr
                                  JOIN resources r ON r.id = sr.resource_id AND r.is_active
                                 WHERE sr.service_id = s.id), '{}')
                 ELSE coalesce((SELECT array_agg(r.id ORDER BY r.name) FROM resources r
                                 WHERE r.tenant_id = s.tenant_id AND r.is_active), '{}')
            END AS "resourceIds"
       FROM services s
      WHERE s.tenant_id = $1 AND s.is_active
      ORDER BY s.name`,
    values: [tenantId],
  });
  return rows;
}

/** The tenant's active resources, by name. */
export async function listResources(pool: Pool, tenantId: string): Promise<Resource[]> {
  return withTenant(pool, tenantId, (client) => readResources(client, tenantId), { isolation: 'read committed' });
}

export async function readResources(client: Queryable, tenantId: string): Promise<Resource[]> {
  const { rows } = await client.query<Resource>('SELECT id, name, kind FROM resources WHERE tenant_id = $1 AND is_active ORDER BY name', [tenantId]);
  return rows;
}
