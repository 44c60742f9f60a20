import { z } from 'zod';
import type { Queryable } from '../db/pool.js';
import { sqlState } from '../db/transaction.js';
import { BookingError } from '../errors.js';
import type { OpeningInterval } from '../read-models/tenant-views.js';
import { parseInput, uuidSchema } from '../validation/parse.js';
import { replaceWeeklyHours } from './schedule.js';
import { resourceInputSchema, serviceInputSchema } from './schemas.js';
import type { Resource, Service } from './types.js';

// Staff edit the catalog (services, resources, who does what, each resource's own hours) after
// onboarding. Every input is checked by onboarding's own schemas (`serviceInputSchema`,
// `resourceInputSchema`), so a field error names the same field whether it comes from
// `admin.createTenant` or the console. Each function runs inside the caller's transaction, so the
// caller writes its audit entry in the same commit.

/**
 * A patch of `schema`: every field optional, and no defaults filled in. (zod 4's `.partial()` still
 * applies a field's default when it is missing, which would reset a price or a buffer nobody touched.)
 */
function patchOf<S extends z.ZodRawShape>(shape: S) {
  const fields = Object.fromEntries(
    Object.entries(shape).map(([key, field]) => [key, (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType)).optional()]),
  );
  return z.object(fields as unknown as { [K in keyof S]: z.ZodOptional<S[K] extends z.ZodDefault<infer T> ? T : S[K]> });
}

const isActiveSchema = z.boolean({ message: 'must be true or false' });

/** A new service: onboarding's schema, resources by name (omitted: any resource). */
export const serviceCreateSchema = serviceInputSchema;

/** Changes to a service: any of onboarding's fields, `priceCents: null` to clear the price, and whether it is offered. */
export const serviceEditSchema = patchOf(serviceInputSchema.omit({ resources: true }).shape).extend({
  priceCents: serviceInputSchema.shape.priceCents.unwrap().nullable().optional(),
  isActive: isActiveSchema.optional(),
});

/** A new resource: onboarding's schema (name, kind, its own weekly hours). */
export const resourceCreateSchema = resourceInputSchema;

/** Changes to a resource; `hours: []` makes it follow the business's hours again. */
export const resourceEditSchema = patchOf(resourceInputSchema.shape).extend({ isActive: isActiveSchema.optional() });

/** A service as staff manage it: inactive ones too, with its booked future. */
export interface StaffService extends Service {
  isActive: boolean;
  /** True when the service names no resources: every active resource can do it. */
  isAnyResource: boolean;
  /** Booked appointments from now on. */
  upcomingBookings: number;
}

/** A resource as staff manage it: inactive ones too, its own weekly hours (empty: the business's). */
export interface StaffResource extends Resource {
  isActive: boolean;
  hours: OpeningInterval[];
  upcomingBookings: number;
}

/** Every service and resource of the tenant (active first, then by name) with what the console shows. */
export async function readStaffCatalog(client: Queryable, input: { tenantId: string; now: Date }): Promise<{ services: StaffService[]; resources: StaffResource[] }> {
  const services = await readStaffServices(client, { tenantId: input.tenantId, now: input.now });
  const resources = await client.query<StaffResource>(
    `SELECT r.id, r.name, r.kind, r.is_active AS "isActive",
            coalesce((SELECT json_agg(json_build_object('weekday', h.weekday, 'opens', to_char(h.opens_at, 'HH24:MI'), 'closes', to_char(h.closes_at, 'HH24:MI'))
                                      ORDER BY h.weekday, h.opens_at)
                        FROM business_hours h WHERE h.tenant_id = r.tenant_id AND h.resource_id = r.id), '[]') AS hours,
            (SELECT count(*)::int FROM appointments a WHERE a.tenant_id = r.tenant_id AND a.resource_id = r.id AND a.status = 'booked' AND a.ends_at > $2) AS "upcomingBookings"
       FROM resources r WHERE r.tenant_id = $1 ORDER BY r.is_active DESC, r.name`,
    [input.tenantId, input.now],
  );
  return { services, resources: resources.rows };
}

/** Services as staff see them, inactive ones too; one service when `serviceId` is given (without `now`, upcoming counts are 0). */
async function readStaffServices(client: Queryable, input: { tenantId: string; now?: Date; serviceId?: string }): Promise<StaffService[]> {
  // The same "names none → any active resource" rule as readServices, for inactive services too.
  const { rows } = await client.query<StaffService>(
    `SELECT s.id, s.name, s.description, s.duration_minutes AS "durationMinutes",
            s.buffer_before_minutes AS "bufferBeforeMinutes", s.buffer_after_minutes AS "bufferAfterMinutes",
            s.price_cents AS "priceCents", s.currency, s.change_deadline_hours AS "changeDeadlineHours", s.is_active AS "isActive",
            NOT EXISTS (SELECT 1 FROM service_resources sr WHERE sr.service_id = s.id) AS "isAnyResource",
            CASE WHEN EXISTS (SELECT 1 FROM service_resources sr WHERE sr.service_id = s.id)
                 THEN coalesce((SELECT array_agg(r.id ORDER BY r.name) FROM service_resources sr
                                  JOIN resources r ON r.id = sr.resource_id AND r.is_active WHERE sr.service_id = s.id), '{}')
                 ELSE coalesce((SELECT array_agg(r.id ORDER BY r.name) FROM resources r WHERE r.tenant_id = s.tenant_id AND r.is_active), '{}')
            END AS "resourceIds",
            (SELECT count(*)::int FROM appointments a WHERE a.tenant_id = s.tenant_id AND a.service_id = s.id AND a.status = 'booked' AND a.ends_at > $2) AS "upcomingBookings"
       FROM services s WHERE s.tenant_id = $1 AND ($3::uuid IS NULL OR s.id = $3) ORDER BY s.is_active DESC, s.name`,
    [input.tenantId, input.now ?? 'infinity', input.serviceId ?? null],
  );
  return rows;
}

/**
 * A service that is no longer offered, for its booked appointments: they keep it, so staff and
 * customers may still move them. Null when there is no such service.
 */
export async function readServiceOfBooking(client: Queryable, input: { tenantId: string; serviceId: string }): Promise<Service | null> {
  const [service] = await readStaffServices(client, input);
  return service ?? null;
}

/** Names are unique per tenant (a UNIQUE constraint): a repeat is a CONFLICT on `name`, not a 500. */
async function uniqueName<T>(write: () => Promise<T>, name: string | undefined): Promise<T> {
  try {
    return await write();
  } catch (error) {
    // 23505: unique_violation (PostgreSQL appendix A).
    if (sqlState(error) === '23505') throw new BookingError('CONFLICT', `name: "${name ?? ''}" is already used`, { field: 'name', cause: error });
    throw error;
  }
}

/** Creates a service; resources named in `resources` can do it (none named: any resource). Returns its id. */
export async function createService(client: Queryable, input: { tenantId: string; service: unknown }): Promise<string> {
  const data = parseInput(serviceCreateSchema, input.service);
  const resourceIds: string[] = [];
  for (const [index, name] of (data.resources ?? []).entries()) {
    const { rows } = await client.query<{ id: string }>('SELECT id FROM resources WHERE tenant_id = $1 AND name = $2 AND is_active', [input.tenantId, name]);
    if (!rows[0]) throw new BookingError('VALIDATION', `resources.${index}: no active resource is named "${name}"`, { field: `resources.${index}` });
    resourceIds.push(rows[0].id);
  }
  const { rows } = await uniqueName(
    () =>
      client.query<{ id: string }>(
        `INSERT INTO services (tenant_id, name, description, duration_minutes, buffer_before_minutes, buffer_after_minutes, price_cents, currency, change_deadline_hours)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [input.tenantId, data.name, data.description, data.durationMinutes, data.bufferBeforeMinutes, data.bufferAfterMinutes, data.priceCents ?? null, data.currency ?? null, data.changeDeadlineHours],
      ),
    data.name,
  );
  const serviceId = rows[0]!.id;
  if (resourceIds.length > 0) {
    await client.query('INSERT INTO service_resources (tenant_id, service_id, resource_id) SELECT $1, $2, unnest($3::uuid[])', [input.tenantId, serviceId, resourceIds]);
  }
  return serviceId;
}

/**
 * Changes a service. Deactivating never deletes: its bookings keep their service, and the booked
 * future still happens; it is only no longer offered. Unknown service → NOT_FOUND on `serviceId`.
 */
export async function editService(client: Queryable, input: { tenantId: string; serviceId: string; changes: unknown }): Promise<void> {
  parseInput(z.object({ serviceId: uuidSchema }), { serviceId: input.serviceId });
  const c = parseInput(serviceEditSchema, input.changes);
  const { rowCount } = await uniqueName(
    () =>
      client.query(
        `UPDATE services SET name = coalesce($3, name), description = coalesce($4, description), duration_minutes = coalesce($5, duration_minutes),
                buffer_before_minutes = coalesce($6, buffer_before_minutes), buffer_after_minutes = coalesce($7, buffer_after_minutes),
                price_cents = CASE WHEN $8 THEN $9::integer ELSE price_cents END, currency = coalesce($10, currency),
                change_deadline_hours = coalesce($11, change_deadline_hours), is_active = coalesce($12, is_active)
          WHERE tenant_id = $1 AND id = $2`,
        [input.tenantId, input.serviceId, c.name ?? null, c.description ?? null, c.durationMinutes ?? null, c.bufferBeforeMinutes ?? null, c.bufferAfterMinutes ?? null,
          c.priceCents !== undefined, c.priceCents ?? null, c.currency ?? null, c.changeDeadlineHours ?? null, c.isActive ?? null],
      ),
    c.name,
  );
  if (rowCount === 0) throw new BookingError('NOT_FOUND', `serviceId: no service ${input.serviceId} here`, { field: 'serviceId' });
}

/** Creates a resource (with its own weekly hours when given). Returns its id. */
export async function createResource(client: Queryable, input: { tenantId: string; resource: unknown }): Promise<string> {
  const data = parseInput(resourceCreateSchema, input.resource);
  const { rows } = await uniqueName(() => client.query<{ id: string }>('INSERT INTO resources (tenant_id, name, kind) VALUES ($1, $2, $3) RETURNING id', [input.tenantId, data.name, data.kind]), data.name);
  const resourceId = rows[0]!.id;
  await replaceWeeklyHours(client, { tenantId: input.tenantId, resourceId, hours: data.hours ?? [] });
  return resourceId;
}

/**
 * Changes a resource. `hours` replaces its own weekly hours (availability uses them instead of the
 * business's; empty: the business's again). Deactivating keeps its bookings; it takes no new ones.
 */
export async function editResource(client: Queryable, input: { tenantId: string; resourceId: string; changes: unknown }): Promise<void> {
  parseInput(z.object({ resourceId: uuidSchema }), { resourceId: input.resourceId });
  const c = parseInput(resourceEditSchema, input.changes);
  const { rowCount } = await uniqueName(
    () =>
      client.query('UPDATE resources SET name = coalesce($3, name), kind = coalesce($4, kind), is_active = coalesce($5, is_active) WHERE tenant_id = $1 AND id = $2', [
        input.tenantId,
        input.resourceId,
        c.name ?? null,
        c.kind ?? null,
        c.isActive ?? null,
      ]),
    c.name,
  );
  if (rowCount === 0) throw new BookingError('NOT_FOUND', `resourceId: no resource ${input.resourceId} here`, { field: 'resourceId' });
  if (c.hours) await replaceWeeklyHours(client, { tenantId: input.tenantId, resourceId: input.resourceId, hours: c.hours });
}

const resourceServicesSchema = z.object({ resourceId: uuidSchema, serviceIds: z.array(uuidSchema).max(200) });

/**
 * Sets which services one resource can do. A service that named no resources ("any resource")
 * and changes here gets the explicit list it meant until now, minus or plus this resource: from
 * then on a new resource does not do it until someone ticks it. Services not touched keep their
 * rule. Unticking a service's last resource is refused (no rows would mean "any" again).
 */
export async function setResourceServices(client: Queryable, input: { tenantId: string; resourceId: unknown; serviceIds: unknown }): Promise<void> {
  const data = parseInput(resourceServicesSchema, { resourceId: input.resourceId, serviceIds: input.serviceIds });
  const resource = await client.query('SELECT 1 FROM resources WHERE tenant_id = $1 AND id = $2', [input.tenantId, data.resourceId]);
  if (resource.rowCount === 0) throw new BookingError('NOT_FOUND', `resourceId: no resource ${data.resourceId} here`, { field: 'resourceId' });
  const { rows: services } = await client.query<{ id: string; name: string; resourceIds: string[] }>(
    `SELECT s.id, s.name, coalesce(array_agg(sr.resource_id) FILTER (WHERE sr.resource_id IS NOT NULL), '{}') AS "resourceIds"
       FROM services s LEFT JOIN service_resources sr ON sr.service_id = s.id WHERE s.tenant_id = $1 GROUP BY s.id, s.name`,
    [input.tenantId],
  );
  const known = new Set(services.map((s) => s.id));
  data.serviceIds.forEach((id, index) => {
    if (!known.has(id)) throw new BookingError('VALIDATION', `serviceIds.${index}: no service ${id} here`, { field: `serviceIds.${index}` });
  });
  const wanted = new Set(data.serviceIds);
  const { rows: active } = await client.query<{ id: string }>('SELECT id FROM resources WHERE tenant_id = $1 AND is_active', [input.tenantId]);
  for (const service of services) {
    // What the service means today, as a list: "any" is every active resource.
    const current = service.resourceIds.length === 0 ? active.map((r) => r.id) : service.resourceIds;
    if (current.includes(data.resourceId) === wanted.has(service.id)) continue;
    const next = wanted.has(service.id) ? [...current, data.resourceId] : current.filter((id) => id !== data.resourceId);
    // No rows means "any resource", so a list cannot be emptied here: that would widen it, not close it.
    if (next.length === 0) {
      throw new BookingError('VALIDATION', `serviceIds: this is the only resource that does "${service.name}"; deactivate the service instead`, { field: 'serviceIds' });
    }
    await client.query('DELETE FROM service_resources WHERE tenant_id = $1 AND service_id = $2', [input.tenantId, service.id]);
    await client.query('INSERT INTO service_resources (tenant_id, service_id, resource_id) SELECT $1, $2, unnest($3::uuid[])', [input.tenantId, service.id, next]);
  }
}
