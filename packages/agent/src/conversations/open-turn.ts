import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { isBookingError, readServices, readTenant, sqlState, takeWaitlistOffer, withTenant, type Catalog, type PendingOffer, type Pool, type PoolClient, type Service, type Tenant } from '@gomomo/core';
import { readHandedOverOffers } from './offer-links.js';
import { AgentError } from '../errors.js';
import type { ChatChannel } from '../types.js';
import { toSession, type Session, type SessionRow } from './store.js';

/** A hold of this conversation that was active when the turn opened. */
export interface SessionHold {
  id: string;
  expiresAt: Date;
}

/** What a turn starts from, read in one transaction. */
export interface OpenedTurn {
  session: Session;
  tenant: Tenant;
  services: Service[];
  /** The conversation's active holds. Turns of one conversation never overlap, so only expiry can change this during the turn. */
  holds: SessionHold[];
  /** A waitlist offer this conversation may confirm (its hold is among `holds`), or null. */
  pendingOffer: PendingOffer | null;
}

export interface OpenTurnInput {
  tenantId: string;
  sessionId: string;
  channel: ChatChannel;
  now: Date;
  /** How long the claim on the conversation lasts if the turn never gives it back (a crashed process). */
  leaseMs: number;
  /** The tenant and its services when the caller has them fresh; read in the transaction otherwise. */
  catalog?: Catalog | undefined;
  /** The phone the channel proved (the SMS sender), which may take a waitlist offer made to it. */
  verifiedPhone?: string | undefined;
}

// Creates the session or claims the free (or lapsed) lease of an existing one, in one statement.
// A row that exists but is claimed comes back with is_claimed = false. No row at all means the id
// belongs to another tenant (Row-Level Security hides it) — or another instance created it after
// this statement's snapshot was taken, which the caller rules out by asking once more.
const claimSql = `
WITH fresh AS (
  INSERT INTO agent_sessions (id, tenant_id, channel, created_at, updated_at, turn_token, turn_expires_at)
  VALUES ($1, $2, $3, $4, $4, $5, clock_timestamp() + make_interval(secs => $6::double precision / 1000))
  ON CONFLICT (id) DO NOTHING
  RETURNING *
), claimed AS (
  UPDATE agent_sessions SET turn_token = $5, turn_expires_at = clock_timestamp() + make_interval(secs => $6::double precision / 1000)
   WHERE id = $1 AND tenant_id = $2 AND NOT EXISTS (SELECT 1 FROM fresh)
     AND (turn_token IS NULL OR turn_expires_at <= clock_timestamp())
  RETURNING *
), found AS (
  SELECT *, true AS is_claimed FROM fresh
  UNION ALL SELECT *, true FROM claimed
  UNION ALL SELECT *, false FROM agent_sessions
   WHERE id = $1 AND tenant_id = $2 AND NOT EXISTS (SELECT 1 FROM fresh) AND NOT EXISTS (SELECT 1 FROM claimed)
)
SELECT found.*,
       -- The conversation's active holds (core's read model, migration 0107), read here rather than
       -- in a round trip of their own. Turns of one conversation never overlap, so the holds an
       -- earlier turn made committed before it gave the lease back, and this statement claims it.
       (SELECT coalesce(json_agg(json_build_object('id', h.id, 'expiresAt', h.expires_at)), '[]'::json)
          FROM gomomo_active_holds_of_session($2, $1) AS h) AS active_holds
  FROM found`;

type ClaimRow = SessionRow & { is_claimed: boolean; active_holds: { id: string; expiresAt: string }[] };

function tenantNotFound(tenantId: string, cause: unknown): AgentError {
  return new AgentError('TENANT_NOT_FOUND', `Tenant ${tenantId} does not exist`, { field: 'tenantId', cause });
}

async function readTenantOrFail(client: PoolClient, tenantId: string): Promise<Tenant> {
  try {
    return await readTenant(client, tenantId);
  } catch (error) {
    if (isBookingError(error, 'NOT_FOUND')) throw tenantNotFound(tenantId, error);
    throw error;
  }
}

async function claimSession(client: PoolClient, input: OpenTurnInput, token: string): Promise<ClaimRow | undefined> {
  const params = [input.sessionId, input.tenantId, input.channel, input.now, token, input.leaseMs];
  for (let attempt = 0; attempt < 2; attempt++) {
    // READ COMMITTED: the second statement gets a fresh snapshot that sees a concurrent creator's row.
    let row: ClaimRow | undefined;
    try {
      row = (await client.query<ClaimRow>(claimSql, params)).rows[0];
    } catch (error) {
      // A cached catalog may outlive its tenant: the new session's foreign key says so (23503).
      if (sqlState(error) === '23503') throw tenantNotFound(input.tenantId, error);
      throw error;
    }
    if (row) return row;
  }
  return undefined;
}

/** One attempt: the opened turn, or null when another turn of the conversation holds the lease. */
async function tryOpenTurn(pool: Pool, input: OpenTurnInput): Promise<OpenedTurn | null> {
  const token = randomUUID();
  return withTenant(
    pool,
    input.tenantId,
    async (client) => {
      const tenant = input.catalog?.tenant ?? (await readTenantOrFail(client, input.tenantId));
      const row = await claimSession(client, input, token);
      if (!row) throw new AgentError('SESSION_TENANT_MISMATCH', `Session "${input.sessionId.slice(0, 40)}" belongs to another business; start a new conversation`, { field: 'sessionId' });
      // Thrown errors roll the claim back with the transaction.
      if (row.channel !== input.channel) {
        throw new AgentError('SESSION_CHANNEL_MISMATCH', `Session "${input.sessionId.slice(0, 40)}" is a ${row.channel} conversation, not ${input.channel}`, { field: 'channel' });
      }
      if (!row.is_claimed) return null;
      // The holds are core's, read through its read model by the claim.
      const holds: SessionHold[] = row.active_holds.map((hold) => ({ id: hold.id, expiresAt: new Date(hold.expiresAt) }));
      const session = toSession(row);
      // A waitlist offer made to this conversation, or to the contact it has proved, is taken here.
      // An offer whose link was opened belongs to the conversation the link started, and no other.
      // (Only a conversation with a contact could take another's offer, so only then is it read.)
      const phone = input.verifiedPhone ?? session.contact.phone;
      const hasContact = Boolean(session.contact.email || phone);
      const handedOver = hasContact ? await readHandedOverOffers(client, { tenantId: input.tenantId, now: input.now }) : [];
      // Without a contact, only an offer made to this conversation could be taken, and its hold is
      // the conversation's: with no active hold there is none, and nothing to ask (issue 15: a round
      // trip on every turn before the customer gives a contact).
      const pendingOffer = hasContact || holds.length > 0 ? await takeWaitlistOffer(client, { tenantId: input.tenantId, sessionId: input.sessionId, email: session.contact.email, phone, now: input.now, keepHoldIds: handedOver }) : null;
      if (pendingOffer && !holds.some((hold) => hold.id === pendingOffer.holdId)) holds.push({ id: pendingOffer.holdId, expiresAt: pendingOffer.expiresAt });
      return { session, tenant, services: input.catalog?.services ?? (await readServices(client, input.tenantId)), holds, pendingOffer };
    },
    { isolation: 'read committed' },
  );
}

/** Waits between attempts: short at first (most turns take a few ms), capped so a waiting turn polls gently. */
function pauseMs(attempt: number): number {
  return Math.min(500, 10 * 2 ** attempt) * (0.5 + Math.random() / 2);
}

/**
 * Opens a turn of the conversation `sessionId`: creates it on the first turn (bound to `tenantId`
 * for good), claims its lease, and reads the tenant, its services and the conversation's active
 * holds in the same transaction. While another turn of the same conversation runs (in another
 * process: the receptionist queues its own), it waits for that turn to save — or for its lease to
 * lapse, so a crashed process cannot block a conversation for longer than `leaseMs`.
 */
export async function openTurn(pool: Pool, input: OpenTurnInput): Promise<OpenedTurn> {
  for (let attempt = 0; ; attempt++) {
    const opened = await tryOpenTurn(pool, input);
    if (opened) return opened;
    await sleep(pauseMs(attempt));
  }
}
