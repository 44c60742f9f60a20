import { BookingError } from '../errors.js';
import { readServiceOfBooking } from '../tenants/catalog-edits.js';
import { readServices } from '../tenants/tenants.js';
import type { Service, Tenant } from '../tenants/types.js';
import type { Queryable } from './rows.js';

/**
 * The tenant's active service with this id; `NOT_FOUND` naming `field` otherwise. With
 * `isRetiredAllowed`, a service staff no longer offer counts too: an existing booking keeps its
 * service, so it can still be moved.
 */
export async function findService(client: Queryable, query: { tenant: Tenant; serviceId: string; field?: string; isRetiredAllowed?: boolean }): Promise<Service> {
  const service =
    (await readServices(client, query.tenant.id)).find((s) => s.id === query.serviceId) ??
    (query.isRetiredAllowed ? await readServiceOfBooking(client, { tenantId: query.tenant.id, serviceId: query.serviceId }) : null);
  if (!service) throw new BookingError('NOT_FOUND', `Service ${query.serviceId} does not exist`, { field: query.field ?? 'serviceId' });
  return service;
}
