import type { Queryable } from '../db/pool.js';
import { readServices, readTenant } from './tenants.js';
import type { Service, Tenant } from './types.js';

/** A tenant and its services: what availability and every chat turn start from, and staff rarely change. */
export interface Catalog {
  tenant: Tenant;
  services: Service[];
}

/** A per-process memory of each tenant's catalog, trusted for `ttlMs`. */
export interface CatalogCache {
  get(tenantId: string): Catalog | undefined;
  set(tenantId: string, catalog: Catalog): void;
  /** The cached catalog, or a fresh read inside the caller's transaction (then remembered). */
  read(client: Queryable, tenantId: string): Promise<Catalog>;
}

/**
 * Saves the reads of a tenant's settings and services on hot paths. A staff change reaches readers
 * within `ttlMs`; nothing that must be exact depends on it, because holds and bookings re-read what
 * they check inside their own transaction. The TTL runs on the process's monotonic clock: it is
 * about freshness, not business time. 0 disables.
 */
export function createCatalogCache(ttlMs: number): CatalogCache {
  const entries = new Map<string, { catalog: Catalog; loadedAt: number }>();
  const cache: CatalogCache = {
    get(tenantId) {
      const entry = entries.get(tenantId);
      if (!entry || performance.now() - entry.loadedAt >= ttlMs) return undefined;
      return entry.catalog;
    },
    set(tenantId, catalog) {
      if (ttlMs <= 0) return;
      // Tenants come and go; a bounded map cannot grow without end in a long-lived process.
      if (entries.size >= 10_000) entries.clear();
      entries.set(tenantId, { catalog, loadedAt: performance.now() });
    },
    async read(client, tenantId) {
      const cached = cache.get(tenantId);
      if (cached) return cached;
      const catalog = { tenant: await readTenant(client, tenantId), services: await readServices(client, tenantId) };
      cache.set(tenantId, catalog);
      return catalog;
    },
  };
  return cache;
}
