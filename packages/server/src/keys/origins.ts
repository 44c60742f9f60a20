import { withTenant, type Pool, type PoolClient } from '@gomomo/core';
import { z } from 'zod';

/** A web origin as browsers send it: scheme, host and optional port, no path or trailing slash. */
export const originSchema = z
  .string()
  .max(255)
  .regex(/^https?:\/\/[^/\s]+$/, 'must be an origin like https://clinic.example (scheme and host, no path)')
  .transform((origin) => origin.toLowerCase());

/** Replaces the tenant's allowed origins inside an open tenant transaction. */
export async function writeAllowedOrigins(client: Pick<PoolClient, 'query'>, tenantId: string, origins: string[]): Promise<string[]> {
  await client.query('DELETE FROM allowed_origins WHERE tenant_id = $1', [tenantId]);
  const unique = [...new Set(origins)].sort();
  if (unique.length > 0) {
    await client.query('INSERT INTO allowed_origins (tenant_id, origin) SELECT $1, unnest($2::text[])', [tenantId, unique]);
  }
  return unique;
}

export async function readAllowedOrigins(client: Pick<PoolClient, 'query'>, tenantId: string): Promise<string[]> {
  const { rows } = await client.query<{ origin: string }>('SELECT origin FROM allowed_origins WHERE tenant_id = $1 ORDER BY origin', [tenantId]);
  return rows.map((row) => row.origin);
}

/**
 * True when some tenant allows `origin`. Only for CORS preflights: a browser sends no key with
 * them, so the tenant is unknown until the real request, which is checked against its own tenant.
 */
export async function isOriginKnown(pool: Pool, origin: string): Promise<boolean> {
  const { rowCount } = await pool.query('SELECT 1 FROM allowed_origins WHERE origin = $1 LIMIT 1', [origin.toLowerCase()]);
  return rowCount === 1;
}

/** Adds origins to a tenant's allowed list, keeping the ones it has (for setups such as the demo tenant). */
export async function addAllowedOrigins(pool: Pool, tenantId: string, origins: string[]): Promise<void> {
  const normalized = origins.map((origin) => originSchema.parse(origin));
  await withTenant(pool, tenantId, (client) =>
    client.query('INSERT INTO allowed_origins (tenant_id, origin) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [tenantId, normalized]),
  );
}
