import { findTenantBySlug, withTenant, type Pool } from '@gomomo/core';
import { ServerError } from '../errors/server-error.js';
import { decoyPasswordHash, verifyPassword } from './passwords.js';
import { insertSession, type StaffIdentity, type StaffRole } from './staff-store.js';

/**
 * Lockout (OWASP Authentication Cheat Sheet): after 5 failures for one account, or 20 from one
 * address (against any account), within 15 minutes, sign-in is refused until the window has moved
 * on — even with the right password, so guessing cannot continue. Counted per tenant and address.
 */
export const lockout = { windowMinutes: 15, perAccount: 5, perAddress: 20 } as const;

export interface SignInInput {
  /** The business's slug: the same email may be staff at two businesses. */
  tenant: string;
  email: string;
  password: string;
  /** The client address as the server trusts it. */
  address: string;
  now: Date;
}

function wrongCredentials(): ServerError {
  return new ServerError('UNAUTHORIZED', 'The business, email or password is not right');
}

/** Seconds until the oldest counted failure leaves the window. */
function retryAfterOf(oldest: Date, now: Date): number {
  return Math.max(1, Math.ceil((oldest.getTime() + lockout.windowMinutes * 60_000 - now.getTime()) / 1000));
}

/**
 * Checks the password and opens a session. Wrong business, email or password all answer the same
 * 401 after the same scrypt work; a locked account or address answers 429 with Retry-After.
 */
export async function signIn(pool: Pool, input: SignInInput): Promise<{ token: string; identity: StaffIdentity }> {
  const tenant = await findTenantBySlug(pool, input.tenant.toLowerCase());
  if (!tenant) {
    await verifyPassword(input.password, await decoyPasswordHash);
    throw wrongCredentials();
  }
  const email = input.email.trim().toLowerCase();
  const since = new Date(input.now.getTime() - lockout.windowMinutes * 60_000);
  return withTenant(
    pool,
    tenant.id,
    async (client) => {
      const counts = await client.query<{ account: number; address: number; oldestAccount: Date | null; oldestAddress: Date | null }>(
        `SELECT count(*) FILTER (WHERE email = $2)::int AS account, count(*) FILTER (WHERE address = $3)::int AS address,
                min(failed_at) FILTER (WHERE email = $2) AS "oldestAccount", min(failed_at) FILTER (WHERE address = $3) AS "oldestAddress"
           FROM staff_sign_in_failures WHERE tenant_id = $1 AND failed_at > $4 AND (email = $2 OR address = $3)`,
        [tenant.id, email, input.address, since],
      );
      const count = counts.rows[0]!;
      if (count.account >= lockout.perAccount || count.address >= lockout.perAddress) {
        const oldest = count.account >= lockout.perAccount ? count.oldestAccount! : count.oldestAddress!;
        throw new ServerError('RATE_LIMITED', `Too many failed sign-ins for this account or address; try again in ${lockout.windowMinutes} minutes`, { retryAfter: retryAfterOf(oldest, input.now) });
      }
      const { rows } = await client.query<{ id: string; role: StaffRole; name: string; passwordHash: string }>(
        'SELECT id, role, name, password_hash AS "passwordHash" FROM staff_accounts WHERE tenant_id = $1 AND email = $2 AND disabled_at IS NULL',
        [tenant.id, email],
      );
      const account = rows[0];
      const isRight = await verifyPassword(input.password, account?.passwordHash ?? (await decoyPasswordHash));
      if (!account || !isRight) {
        await client.query('INSERT INTO staff_sign_in_failures (tenant_id, email, address, failed_at) VALUES ($1, $2, $3, $4)', [tenant.id, email, input.address, input.now]);
        return null;
      }
      const token = await insertSession(client, { tenantId: tenant.id, staffId: account.id, now: input.now });
      return { token, identity: { tenantId: tenant.id, staffId: account.id, role: account.role, email, name: account.name } };
    },
    { isolation: 'read committed' },
  ).then((result) => {
    // Thrown after the commit, so the failure row stays counted.
    if (!result) throw wrongCredentials();
    return result;
  });
}
