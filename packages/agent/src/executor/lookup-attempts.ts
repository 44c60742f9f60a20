import { createHash } from 'node:crypto';
import { withTenant, type Pool } from '@gomomo/core';

/** How many failed lookups a key may have in a window before lookups with it stop. */
export interface LookupLimits {
  /** Failures (unknown reference, or a contact that does not match) per key per window. Default 3. */
  maxFailures: number;
  /** The window, in ms; a key's count starts again after it. Default one hour. */
  windowMs: number;
}

/** Three wrong guesses per reference, per contact and per client address an hour (as many as one conversation used to get). */
export const defaultLookupLimits: LookupLimits = { maxFailures: 3, windowMs: 3_600_000 };

type KeyKind = 'reference' | 'contact' | 'address';

/** The keys an attempt counts against, hashed: the table never holds contacts or addresses. */
export function lookupKeys(input: { reference?: string | undefined; contact?: string | undefined; clientAddress?: string | undefined }): Array<{ kind: KeyKind; hash: string }> {
  const keys: Array<[KeyKind, string | undefined]> = [
    ['reference', input.reference?.trim().toUpperCase()],
    ['contact', input.contact?.trim().toLowerCase()],
    ['address', input.clientAddress?.trim().toLowerCase()],
  ];
  return keys.filter((key): key is [KeyKind, string] => Boolean(key[1])).map(([kind, value]) => ({ kind, hash: createHash('sha256').update(`${kind}:${value}`).digest('hex') }));
}

interface AttemptQuery {
  tenantId: string;
  keys: Array<{ kind: KeyKind; hash: string }>;
  now: Date;
  limits: LookupLimits;
}

/** True when any of the keys used up its failures in the current window. */
export async function isLookupBlocked(pool: Pool, query: AttemptQuery): Promise<boolean> {
  if (query.keys.length === 0 || query.limits.maxFailures <= 0) return false;
  return withTenant(
    pool,
    query.tenantId,
    async (client) => {
      const { rows } = await client.query(
        `SELECT 1 FROM agent_lookup_attempts
          WHERE tenant_id = $1 AND key_hash = ANY($2::text[]) AND failures >= $3
            AND window_start > $4::timestamptz - make_interval(secs => $5::double precision / 1000)
          LIMIT 1`,
        [query.tenantId, query.keys.map((k) => k.hash), query.limits.maxFailures, query.now, query.limits.windowMs],
      );
      return rows.length > 0;
    },
    { isolation: 'read committed' },
  );
}

/**
 * Counts one failed lookup against every key, in its own transaction: the count must survive a
 * turn that fails to save. A key whose window lapsed starts a new one.
 */
export async function recordLookupFailure(pool: Pool, query: AttemptQuery): Promise<void> {
  if (query.keys.length === 0) return;
  await withTenant(
    pool,
    query.tenantId,
    (client) =>
      client.query(
        `INSERT INTO agent_lookup_attempts AS a (tenant_id, key_hash, key_kind, failures, window_start)
         SELECT $1, k.hash, k.kind, 1, $4 FROM unnest($2::text[], $3::text[]) AS k(hash, kind)
         ON CONFLICT (tenant_id, key_hash) DO UPDATE SET
           failures = CASE WHEN a.window_start <= $4::timestamptz - make_interval(secs => $5::double precision / 1000) THEN 1 ELSE a.failures + 1 END,
           window_start = CASE WHEN a.window_start <= $4::timestamptz - make_interval(secs => $5::double precision / 1000) THEN $4 ELSE a.window_start END`,
        [query.tenantId, query.keys.map((k) => k.hash), query.keys.map((k) => k.kind), query.now, query.limits.windowMs],
      ),
    { isolation: 'read committed' },
  );
}
