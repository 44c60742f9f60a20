import type { Queryable } from '../db/pool.js';
import { readServices, readTenant } from './tenants.js';
import type { Service, Tenant } from './types.js';

export interface Catalog {
  tenant: Tenant;
  services: Service[];
}

/**
 * A tenant's settings and services, read at most once per `ttlMs` per process. Availability is
 * read on every page view and every chat turn while these change a few times a year; a second of
 * staleness saves two round trips per query. Off (ttlMs 0) unless the host opts in: a booking
 * never depends on it, since holds re-read what they check inside their own transaction.
 */
export function createCatalogCache(ttlMs: number) {
  const entries = new Map<string, { readAt: number; catalog: Catalog }>();
  return {
    async read(client: Queryable, tenantId: string): Promise<Catalog> {
      const now = performance.now();
      const hit = entries.get(tenantId);
      if (hit && now - hit.readAt < ttlMs) return hit.catalog;
      const catalog = { tenant: await readTenant(client, tenantId), services: await readServices(client, tenantId) };
      if (ttlMs > 0) {
        if (entries.size >= 10_000) entries.clear();
        entries.set(tenantId, { readAt: now, catalog });
      }
      return catalog;
    },
  };
}

export type CatalogCache = ReturnType<typeof createCatalogCache>;
