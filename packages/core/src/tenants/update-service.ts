import type { Pool } from '../db/pool.js';
import { withTenant } from '../db/transaction.js';
import { BookingError } from '../errors.js';
import { parseInput } from '../validation/parse.js';
import { serviceUpdateSchema, type ServiceUpdate } from './schemas.js';
import { readServices } from './tenants.js';
import type { Service } from './types.js';

/**
 * Changes an existing service's settings (today: its change deadline) and returns the service.
 * Omitted settings stay as they are; an unknown or inactive service is `NOT_FOUND`.
 */
export async function updateService(pool: Pool, input: ServiceUpdate): Promise<Service> {
  const data = parseInput(serviceUpdateSchema, input);
  return withTenant(pool, data.tenantId, async (client) => {
    const { rowCount } = await client.query('UPDATE services SET change_deadline_hours = coalesce($3, change_deadline_hours) WHERE tenant_id = $1 AND id = $2 AND is_active', [
      data.tenantId,
      data.serviceId,
      data.changeDeadlineHours ?? null,
    ]);
    const service = rowCount === 0 ? undefined : (await readServices(client, data.tenantId)).find((s) => s.id === data.serviceId);
    if (!service) throw new BookingError('NOT_FOUND', `Service ${data.serviceId} does not exist`, { field: 'serviceId' });
    return service;
  });
}
