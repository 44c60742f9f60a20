import { createTenant, parseInput, tenantInputSchema, withTenant, withTransaction, type Clock, type Pool, type Tenant } from '@gomomo/core';
import { z } from 'zod';
import { insertApiKey, type CreatedApiKey } from './keys.js';
import { originSchema, writeAllowedOrigins } from './origins.js';

/** core's tenant input plus the web origins its publishable key may be used from. */
export const onboardTenantSchema = tenantInputSchema.extend({
  allowedOrigins: z.array(originSchema).max(50).default([]),
});

export type OnboardTenantInput = z.input<typeof onboardTenantSchema>;

export interface OnboardedTenant {
  tenant: Tenant;
  allowedOrigins: string[];
  /** Shown once: store them now. */
  keys: { secret: CreatedApiKey; publishable: CreatedApiKey };
}

/**
 * Creates a tenant with its services, resources, hours and allowed origins, and its first secret and
 * publishable keys. core's `createTenant` commits its own transaction, so the keys follow in a
 * second one; if that fails the tenant is deleted again, leaving nothing half-made behind.
 */
export async function onboardTenant(pool: Pool, input: { data: unknown; clock: Clock }): Promise<OnboardedTenant> {
  const { allowedOrigins, ...tenantInput } = parseInput(onboardTenantSchema, input.data);
  const tenant = await createTenant(pool, tenantInput);
  try {
    return await withTenant(pool, tenant.id, async (client) => {
      const now = input.clock.now();
      const origins = await writeAllowedOrigins(client, tenant.id, allowedOrigins);
      const secret = await insertApiKey(client, { tenantId: tenant.id, kind: 'secret', name: 'first secret key', now });
      const publishable = await insertApiKey(client, { tenantId: tenant.id, kind: 'publishable', name: 'first publishable key', now });
      return { tenant, allowedOrigins: origins, keys: { secret, publishable } };
    });
  } catch (error) {
    await withTransaction(pool, (client) => client.query('DELETE FROM tenants WHERE id = $1', [tenant.id]));
    throw error;
  }
}
