import { insertTenant, parseInput, tenantInputSchema, withTransaction, type Clock, type Pool, type Tenant } from '@gomomo/core';
import { z } from 'zod';
import { appendAudit } from '@gomomo/policy';
import { auditKeyChange, insertApiKey, type CreatedApiKey } from './keys.js';
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
 * publishable keys, in ONE transaction: a failure at any step leaves nothing behind. It runs as the
 * owner role (the tenant does not exist yet, so there is no tenant scope to switch to) at READ
 * COMMITTED: every write is an insert, the slug's unique index settles races, and the audit log
 * (appended here too) requires READ COMMITTED for its chain lock.
 */
export async function onboardTenant(pool: Pool, input: { data: unknown; clock: Clock }): Promise<OnboardedTenant> {
  const { allowedOrigins, ...tenantInput } = parseInput(onboardTenantSchema, input.data);
  return withTransaction(
    pool,
    async (client) => {
      const now = input.clock.now();
      const tenant = await insertTenant(client, tenantInput);
      const origins = await writeAllowedOrigins(client, tenant.id, allowedOrigins);
      const secret = await insertApiKey(client, { tenantId: tenant.id, kind: 'secret', name: 'first secret key', now });
      const publishable = await insertApiKey(client, { tenantId: tenant.id, kind: 'publishable', name: 'first publishable key', now });
      await appendAudit(client, {
        tenantId: tenant.id,
        actor: 'staff',
        channel: 'system',
        action: 'tenant.onboard',
        outcome: 'succeeded',
        subjectId: tenant.id,
        details: { slug: tenant.slug, timeZone: tenant.timeZone, allowedOrigins: origins.length },
        occurredAt: now,
      });
      for (const key of [secret, publishable]) await auditKeyChange(client, { action: 'api_key.create', key, tenantId: tenant.id, now });
      return { tenant, allowedOrigins: origins, keys: { secret, publishable } };
    },
    { isolation: 'read committed' },
  );
}
