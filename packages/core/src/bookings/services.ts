import { BookingError } from '../errors.js';
import { readServices } from '../tenants/tenants.js';
import type { Service, Tenant } from '../tenants/types.js';
import type { Queryable } from './rows.js';

/** The tenant's active service with this id; `NOT_FOUND` naming `field` otherwise. */
export async function findService(client: Queryable, query: { tenant: Tenant; serviceId: string; field?: string }): Promise<Service> {
  const service = (await readServices(client, query.tenant.id)).find((s) => s.id === query.serviceId);
  if (!service) throw new BookingError('NOT_FOUND', `Service ${query.serviceId} does not exist`, { field: query.field ?? 'serviceId' });
  return service;
}
