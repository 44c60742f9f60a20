// One-time codes that prove a conversation holds the contact on a booking (issue 20 item 1).
// Stored as salted SHA-256 and compared with timingSafeEqual; the code itself exists only in the
// message to the customer (the outbox) and in this module's stack for one call.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { withTenant, type Pool, type PoolClient } from '@gomomo/core';

/** How long a code lives, how many tries it gets, and how many codes a contact and an address may be sent. */
export interface CodeLimits {
  /** Default 10 minutes. */
  ttlMs: number;
  /** Wrong tries before a code is locked. Default 5. */
  maxAttempts: number;
  /** Codes sent to one contact per hour (per tenant). Default 3. */
  perContactPerHour: number;
  /** Codes one client address may have sent per hour (per tenant). Default 10. */
  perAddressPerHour: number;
}

export const defaultCodeLimits: CodeLimits = { ttlMs: 600_000, maxAttempts: 5, perContactPerHour: 3, perAddressPerHour: 10 };

/** The contact a code goes to: the email or phone on the booking, as the customer proved it. */
export type CodeContact = { email: string } | { phone: string };

/** A code on its way to the customer, handed to the code sender inside the transaction that stores its hash. */
export interface CodeMessage {
  tenantId: string;
  channel: 'email' | 'sms';
  recipient: string;
  /** The 6 digits, in clear: only for the message body. Never log or audit it. */
  code: string;
  expiresAt: Date;
  businessName: string;
  locale: 'en' | 'es';
  /** Unique per code sent. */
  idempotencyKey: string;
}

/**
 * Delivers a code: the server wires it to the channels outbox (transactional, so it goes at once;
 * SMS opt-outs and email suppressions still apply there). Runs in the caller's transaction, so a
 * code is stored if and only if its message is queued.
 */
export type CodeSender = (client: PoolClient, message: CodeMessage) => Promise<void>;

function hashKey(kind: 'contact' | 'address', value: string): string {
  return createHash('sha256').update(`code-${kind}:${value.trim().toLowerCase()}`).digest('hex');
}

/** The stored key of a contact (an email in any case, a phone as given in E.164). */
export function contactKey(contact: CodeContact): string {
  return hashKey('contact', 'email' in contact ? contact.email : contact.phone);
}

function hashCode(salt: string, code: string): Buffer {
  return createHash('sha256').update(`${salt}:${code}`).digest();
}

export type RequestCodeResult = { sent: true; expiresAt: Date } | { sent: false; reason: 'rate-limited' };

interface RequestCodeInput {
  tenantId: string;
  sessionId: string;
  contact: CodeContact;
  clientAddress?: string | undefined;
  message: Pick<CodeMessage, 'businessName' | 'locale'>;
  now: Date;
  limits: CodeLimits;
  send: CodeSender;
}

/**
 * Issues a code for a contact in a conversation, unless the contact or the client address had its
 * share of codes this hour. A new code replaces the conversation's unused ones for that contact.
 */
export async function requestCode(pool: Pool, input: RequestCodeInput): Promise<RequestCodeResult> {
  const { tenantId, sessionId, contact, now, limits } = input;
  const contactHash = contactKey(contact);
  const addressHash = input.clientAddress ? hashKey('address', input.clientAddress) : null;
  return withTenant(
    pool,
    tenantId,
    async (client) => {
      // Serialises requests for one contact, so two at once cannot both pass the count.
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`code:${tenantId}:${contactHash}`]);
      const { rows } = await client.query<{ perContact: number; perAddress: number }>(
        `SELECT count(*) FILTER (WHERE contact_hash = $2)::int AS "perContact",
                count(*) FILTER (WHERE $3::text IS NOT NULL AND address_hash = $3)::int AS "perAddress"
           FROM agent_contact_codes
          WHERE tenant_id = $1 AND created_at > $4::timestamptz - interval '1 hour' AND (contact_hash = $2 OR address_hash = $3)`,
        [tenantId, contactHash, addressHash, now],
      );
      const counts = rows[0]!;
      if (counts.perContact >= limits.perContactPerHour || counts.perAddress >= limits.perAddressPerHour) return { sent: false, reason: 'rate-limited' } as const;
      await client.query(
        `UPDATE agent_contact_codes SET expires_at = least(expires_at, $4)
          WHERE tenant_id = $1 AND session_id = $2 AND contact_hash = $3 AND proven_at IS NULL`,
        [tenantId, sessionId, contactHash, now],
      );
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const salt = randomBytes(16).toString('hex');
      const expiresAt = new Date(now.getTime() + limits.ttlMs);
      const inserted = await client.query<{ id: string }>(
        `INSERT INTO agent_contact_codes (tenant_id, session_id, contact_hash, address_hash, code_salt, code_hash, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [tenantId, sessionId, contactHash, addressHash, salt, hashCode(salt, code).toString('hex'), now, expiresAt],
      );
      const recipient = 'email' in contact ? contact.email : contact.phone;
      await input.send(client, {
        tenantId,
        channel: 'email' in contact ? 'email' : 'sms',
        recipient,
        code,
        expiresAt,
        ...input.message,
        idempotencyKey: `identity-code:${inserted.rows[0]!.id}`,
      });
      return { sent: true, expiresAt } as const;
    },
    { isolation: 'read committed' },
  );
}

export type VerifyCodeResult =
  | { proven: true }
  | { proven: false; reason: 'wrong'; triesLeft: number }
  | { proven: false; reason: 'locked' | 'expired' | 'no-code' };

/**
 * Checks a typed code against the conversation's latest code. A wrong try counts (and is committed)
 * whatever happens to the turn; the fifth locks the code for good, even against the right digits.
 */
export async function verifyCode(pool: Pool, input: { tenantId: string; sessionId: string; code: string; now: Date; limits: CodeLimits }): Promise<VerifyCodeResult> {
  const { tenantId, sessionId, now, limits } = input;
  return withTenant(
    pool,
    tenantId,
    async (client) => {
      const { rows } = await client.query<{ id: string; salt: string; hash: string; attempts: number; expiresAt: Date; provenAt: Date | null }>(
        `SELECT id, code_salt AS salt, code_hash AS hash, attempts, expires_at AS "expiresAt", proven_at AS "provenAt"
           FROM agent_contact_codes WHERE tenant_id = $1 AND session_id = $2
          ORDER BY id DESC LIMIT 1 FOR UPDATE`,
        [tenantId, sessionId],
      );
      const row = rows[0];
      if (!row || row.provenAt) return { proven: false, reason: 'no-code' } as const;
      if (row.attempts >= limits.maxAttempts) return { proven: false, reason: 'locked' } as const;
      if (row.expiresAt.getTime() <= now.getTime()) return { proven: false, reason: 'expired' } as const;
      // Constant time: how many leading digits match must not show in how long the answer takes.
      if (timingSafeEqual(hashCode(row.salt, input.code), Buffer.from(row.hash, 'hex'))) {
        await client.query('UPDATE agent_contact_codes SET proven_at = $2 WHERE id = $1', [row.id, now]);
        return { proven: true } as const;
      }
      const attempts = row.attempts + 1;
      await client.query('UPDATE agent_contact_codes SET attempts = $2 WHERE id = $1', [row.id, attempts]);
      if (attempts >= limits.maxAttempts) return { proven: false, reason: 'locked' } as const;
      return { proven: false, reason: 'wrong', triesLeft: limits.maxAttempts - attempts } as const;
    },
    { isolation: 'read committed' },
  );
}

/**
 * Whether this conversation proved this contact: with a code, or by opening with (or remembering)
 * a device remembered for it that is not revoked since (identity/devices.ts).
 */
export async function isContactProven(pool: Pool, input: { tenantId: string; sessionId: string; contact: CodeContact }): Promise<boolean> {
  return withTenant(
    pool,
    input.tenantId,
    async (client) => {
      const { rows } = await client.query(
        `SELECT 1 FROM agent_contact_codes WHERE tenant_id = $1 AND session_id = $2 AND contact_hash = $3 AND proven_at IS NOT NULL
         UNION ALL
         SELECT 1 FROM agent_sessions s JOIN agent_device_tokens d ON d.tenant_id = s.tenant_id AND d.id = s.device_id
          WHERE s.tenant_id = $1 AND s.id = $2 AND d.contact_hash = $3 AND d.revoked_at IS NULL
         LIMIT 1`,
        [input.tenantId, input.sessionId, contactKey(input.contact)],
      );
      return rows.length > 0;
    },
    { isolation: 'read committed' },
  );
}
