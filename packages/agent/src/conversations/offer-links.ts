import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { handOverHold, withTenant, type Pool, type PoolClient } from '@gomomo/core';

type Queryable = Pick<PoolClient, 'query'>;

// `gmo_` makes a leaked link token recognisable; 32 random bytes (256 bits), base64url so it sits in
// a URL fragment unescaped.
const offerTokenPattern = /^gmo_[A-Za-z0-9_-]{43}$/;

/** True for a string shaped like an offer link token (cheap check before any query). */
export function isOfferTokenFormat(value: string): boolean {
  return offerTokenPattern.test(value);
}

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * Issues the single-use token of a waitlist offer's link, in the caller's transaction (the one that
 * makes the offer): only its SHA-256 is stored, and it lapses with the hold (`expiresAt`). With
 * `sessionId` (the phone → text handoff) the link opens that conversation instead of a new one.
 */
export async function issueOfferLink(client: Queryable, input: { tenantId: string; holdId: string; expiresAt: Date; now: Date; sessionId?: string | undefined }): Promise<string> {
  const token = `gmo_${randomBytes(32).toString('base64url')}`;
  await client.query('INSERT INTO agent_offer_links (token_hash, tenant_id, hold_id, expires_at, created_at, session_id) VALUES ($1, $2, $3, $4, $5, $6)', [
    hashToken(token),
    input.tenantId,
    input.holdId,
    input.expiresAt,
    input.now,
    input.sessionId ?? null,
  ]);
  return token;
}

/** A redeemed offer link: the conversation holding the offer, and its bearer token (shown once). */
export interface RedeemedOfferLink {
  sessionId: string;
  token: string;
  holdId: string;
  /** True for a handoff link: the conversation is the call's, with its history, not a new one. */
  isHandoff: boolean;
}

/**
 * Binds a fresh web token to the call's conversation, once: only a conversation without a token
 * (a call's) can be bound, so no link opens a conversation someone already holds a token for. It
 * becomes a web conversation, as the caller now types in it.
 */
async function bindConversation(client: Queryable, input: { tenantId: string; sessionId: string; tokenHash: Buffer; now: Date }): Promise<boolean> {
  const { rowCount } = await client.query(
    `UPDATE agent_sessions SET token_hash = $3, channel = 'web', updated_at = $4 WHERE tenant_id = $1 AND id = $2 AND token_hash IS NULL`,
    [input.tenantId, input.sessionId, input.tokenHash, input.now],
  );
  return rowCount === 1;
}

/**
 * Redeems an offer link in one transaction: spends the token, starts a web conversation (token
 * issued as `startConversation` does) and moves the offer's hold to it, so the conversation that
 * sent the offer can no longer confirm it. Null for an unknown, spent, lapsed or other tenant's
 * token, and for a hold that is no longer active: all look the same to the caller. The lookup is by
 * hash (an index probe), so no comparison of the secret itself leaks timing.
 */
export async function redeemOfferLink(pool: Pool, input: { tenantId: string; offerToken: string; now: Date }): Promise<RedeemedOfferLink | null> {
  if (!isOfferTokenFormat(input.offerToken)) return null;
  return withTenant(pool, input.tenantId, async (client) => {
    const spent = await client.query<{ holdId: string; sessionId: string | null }>(
      `UPDATE agent_offer_links SET used_at = $3 WHERE tenant_id = $1 AND token_hash = $2 AND used_at IS NULL AND expires_at > $3
       RETURNING hold_id AS "holdId", session_id AS "sessionId"`,
      [input.tenantId, hashToken(input.offerToken), input.now],
    );
    const link = spent.rows[0];
    if (!link) return null;
    const { holdId } = link;
    const token = `gms_${randomBytes(32).toString('base64url')}`;
    const isHandoff = link.sessionId !== null;
    const sessionId = link.sessionId ?? randomUUID();
    if (isHandoff) {
      if (!(await bindConversation(client, { tenantId: input.tenantId, sessionId, tokenHash: hashToken(token), now: input.now }))) throw new LapsedOffer();
    } else {
      await client.query('INSERT INTO agent_sessions (id, tenant_id, channel, token_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)', [
        sessionId,
        input.tenantId,
        'web',
        hashToken(token),
        input.now,
      ]);
    }
    // For a handoff the hold is already the conversation's: handing it over to itself checks it is still active.
    if (!(await handOverHold(client, { tenantId: input.tenantId, holdId, sessionId, now: input.now }))) throw new LapsedOffer();
    return { sessionId, token, holdId, isHandoff };
  }, { isolation: 'read committed' }).catch((error: unknown) => {
    if (error instanceof LapsedOffer) return null;
    throw error;
  });
}

/** Rolls the redemption back (the token stays unspent, no conversation bound) when the hold has gone or the conversation is taken. */
class LapsedOffer extends Error {}

/**
 * Holds of offers whose link was opened and that may still be active: they stay with the
 * conversation the link started, so no other conversation proving the contact takes them back.
 */
export async function readHandedOverOffers(client: Queryable, input: { tenantId: string; now: Date }): Promise<string[]> {
  const { rows } = await client.query<{ holdId: string }>(
    'SELECT hold_id AS "holdId" FROM agent_offer_links WHERE tenant_id = $1 AND used_at IS NOT NULL AND expires_at > $2',
    [input.tenantId, input.now],
  );
  return rows.map((row) => row.holdId);
}
