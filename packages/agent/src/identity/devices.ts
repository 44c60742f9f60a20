// "Remember me on this device" (issue 20 item 2): a web conversation that proved its contact with a
// one-time code may leave the customer's browser an opaque device token, so a later conversation
// opened with it starts with that contact proven (greeted by name, no new code to move or cancel).
// Opt-in per tenant (`settings.rememberDevice`, default off) and per customer, revocable by both.
// Neither the token nor the browser holds the contact: the row keeps the token's SHA-256, the
// contact's key, and the contact sealed under a key only the token derives.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { assertTenantId, withTenant, type Pool, type PoolClient } from '@gomomo/core';
import { appendAudit } from '@gomomo/policy';
import { contactKey, isContactProven, type CodeContact } from './codes.js';

/** What a tenant chose: whether the widget may offer to remember a proven customer, and for how long. */
export interface RememberDeviceSettings {
  isEnabled: boolean;
  /** Lifetime of a device token. Default 90 days; 1–365. */
  days: number;
}

/** The tenant's `settings.rememberDevice` (`{ enabled, days }`); anything malformed means the defaults (off). */
export function resolveRememberDevice(settings: Record<string, unknown> | undefined): RememberDeviceSettings {
  const own = (settings?.rememberDevice ?? {}) as Record<string, unknown>;
  const days = typeof own.days === 'number' && Number.isInteger(own.days) && own.days >= 1 && own.days <= 365 ? own.days : 90;
  return { isEnabled: own.enabled === true, days };
}

/** `gmd_` + 43 base64url characters: 256 random bits, recognisable when leaked. */
export const deviceTokenPattern = /^gmd_[A-Za-z0-9_-]{43}$/;

const readCommitted = { isolation: 'read committed' } as const;

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

// The sealing key comes from the token (HMAC as a KDF, RFC 5869's extract step with a fixed label):
// the database alone cannot open the contact, a visit presenting the token can.
function sealingKey(token: string): Buffer {
  return createHmac('sha256', token).update('gomomo device contact v1').digest();
}

function sealContact(token: string, contact: CodeContact): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(token), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(contact), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

function openContact(token: string, sealed: string): CodeContact {
  const raw = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(token), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as CodeContact;
}

async function audit(client: PoolClient, entry: { tenantId: string; action: string; outcome: 'succeeded' | 'denied'; reason: string; sessionId?: string; deviceId?: string; contact?: CodeContact; actor?: 'customer' | 'staff' }): Promise<void> {
  // The token never reaches the log: the row's id names the device, the contact goes in pseudonymised.
  await appendAudit(client, {
    tenantId: entry.tenantId,
    actor: entry.actor ?? 'customer',
    channel: 'web',
    action: entry.action,
    outcome: entry.outcome,
    reason: entry.reason,
    sessionId: entry.sessionId,
    subjectId: entry.deviceId,
    clientKey: entry.contact ? ('email' in entry.contact ? entry.contact.email : entry.contact.phone) : undefined,
  });
}

/** The conversation's contact when it is proven (by a code, or by the device it opened with), with its device. */
async function readProvenContact(pool: Pool, input: { tenantId: string; sessionId: string }): Promise<{ contact: CodeContact; deviceId: string | null } | null> {
  const { rows } = await withTenant(
    pool,
    input.tenantId,
    (client) =>
      client.query<{ email: string | null; phone: string | null; deviceId: string | null }>(
        'SELECT contact_email AS email, contact_phone AS phone, device_id AS "deviceId" FROM agent_sessions WHERE tenant_id = $1 AND id = $2',
        [input.tenantId, input.sessionId],
      ),
    readCommitted,
  );
  const row = rows[0];
  const contact: CodeContact | undefined = row?.email ? { email: row.email } : row?.phone ? { phone: row.phone } : undefined;
  if (!row || !contact) return null;
  return (await isContactProven(pool, { ...input, contact })) ? { contact, deviceId: row.deviceId } : null;
}

/**
 * Whether the widget may offer "Remember me on this device" now: the tenant allows it, the contact is
 * proven, and no device holds this conversation yet. The tenant's settings (read fresh: a business
 * that turns remembering off stops the offers at once) and the conversation's contact and device
 * come in one statement that enters the tenant itself (migration 0173); only a contact the tenant
 * would remember is then checked for proof.
 */
export async function canRememberDevice(pool: Pool, input: { tenantId: string; sessionId: string }): Promise<boolean> {
  assertTenantId(input.tenantId);
  const { rows } = await pool.query<{ settings: Record<string, unknown> | null; email: string | null; phone: string | null; deviceId: string | null }>({
    name: 'gomomo_agent_device_offer_state',
    text: 'SELECT settings, email, phone, device_id AS "deviceId" FROM gomomo_agent_device_offer_state($1, $2)',
    values: [input.tenantId, input.sessionId],
  });
  const row = rows[0];
  if (!row || !resolveRememberDevice(row.settings ?? undefined).isEnabled || row.deviceId !== null) return false;
  const contact: CodeContact | undefined = row.email ? { email: row.email } : row.phone ? { phone: row.phone } : undefined;
  return contact !== undefined && (await isContactProven(pool, { ...input, contact }));
}

export type RememberDeviceResult = { remembered: true; token: string; expiresAt: Date } | { remembered: false; reason: 'disabled' | 'not-proven' | 'already-remembered' };

/** Rolls the new device back when another request remembered this conversation first. */
class AlreadyRemembered extends Error {}

/**
 * Issues a device token for the conversation's proven contact, bound to the tenant and the site's
 * origin, once per conversation: the conversation is marked with the device in the same
 * transaction, only while it has none. So a conversation opened with a device cannot mint a fresh
 * token (which would outlive the tenant's `days` and the customer's "forget this device"), and two
 * clicks make one device, not two. Audited.
 */
export async function rememberDevice(pool: Pool, input: { tenantId: string; sessionId: string; settings: Record<string, unknown>; origin: string; now: Date }): Promise<RememberDeviceResult> {
  const settings = resolveRememberDevice(input.settings);
  if (!settings.isEnabled) return { remembered: false, reason: 'disabled' };
  const proven = await readProvenContact(pool, input);
  if (!proven) return { remembered: false, reason: 'not-proven' };
  if (proven.deviceId !== null) return { remembered: false, reason: 'already-remembered' };
  const token = `gmd_${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  const expiresAt = new Date(input.now.getTime() + settings.days * 86_400_000);
  try {
    await withTenant(
      pool,
      input.tenantId,
      async (client) => {
        await client.query(
          `INSERT INTO agent_device_tokens (id, tenant_id, token_hash, contact_hash, sealed_contact, origin, created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [id, input.tenantId, hashToken(token), contactKey(proven.contact), sealContact(token, proven.contact), input.origin, input.now, expiresAt],
        );
        // The row lock makes a concurrent second request wait and then find the device set.
        const marked = await client.query('UPDATE agent_sessions SET device_id = $3 WHERE tenant_id = $1 AND id = $2 AND device_id IS NULL', [input.tenantId, input.sessionId, id]);
        if (marked.rowCount !== 1) throw new AlreadyRemembered();
        await audit(client, { tenantId: input.tenantId, action: 'device.remember', outcome: 'succeeded', reason: `remembered until ${expiresAt.toISOString()}`, sessionId: input.sessionId, deviceId: id, contact: proven.contact });
      },
      readCommitted,
    );
  } catch (error) {
    if (error instanceof AlreadyRemembered) return { remembered: false, reason: 'already-remembered' };
    throw error;
  }
  return { remembered: true, token, expiresAt };
}

export type OpenWithDeviceResult = { opened: true } | { opened: false; reason: 'unknown' | 'expired' | 'revoked' | 'origin' | 'disabled' };

/** Why a stored device token may not open a conversation now, or null when it may. */
function refusalOf(row: { origin: string; createdAt: Date; expiresAt: Date; revokedAt: Date | null }, input: { origin: string | undefined; now: Date; settings: RememberDeviceSettings }): 'expired' | 'revoked' | 'origin' | null {
  if (row.revokedAt) return 'revoked';
  // The tenant's lifetime as it is now: shortening `days` shortens the tokens already issued.
  const lapsesAt = Math.min(row.expiresAt.getTime(), row.createdAt.getTime() + input.settings.days * 86_400_000);
  if (lapsesAt <= input.now.getTime()) return 'expired';
  return row.origin !== input.origin ? 'origin' : null;
}

/**
 * Opens a new conversation with a device token: when the tenant still remembers devices and the
 * token is this tenant's, within the tenant's current lifetime, not revoked and presented from the
 * origin it was issued to, the conversation takes its contact as proven. Turning remembering off
 * stops every token at once. Another tenant's token is unknown (Row-Level Security hides it).
 * Audited either way.
 */
export async function openWithDevice(pool: Pool, input: { tenantId: string; sessionId: string; token: string; origin: string | undefined; now: Date; settings: Record<string, unknown> }): Promise<OpenWithDeviceResult> {
  if (!deviceTokenPattern.test(input.token)) return { opened: false, reason: 'unknown' };
  const settings = resolveRememberDevice(input.settings);
  if (!settings.isEnabled) return { opened: false, reason: 'disabled' };
  return withTenant(
    pool,
    input.tenantId,
    async (client) => {
      const { rows } = await client.query<{ id: string; sealed: string; origin: string; createdAt: Date; expiresAt: Date; revokedAt: Date | null }>(
        `SELECT id, sealed_contact AS sealed, origin, created_at AS "createdAt", expires_at AS "expiresAt", revoked_at AS "revokedAt"
           FROM agent_device_tokens WHERE tenant_id = $1 AND token_hash = $2`,
        [input.tenantId, hashToken(input.token)],
      );
      const row = rows[0];
      const refusal = !row ? 'unknown' : refusalOf(row, { origin: input.origin, now: input.now, settings });
      if (refusal || !row) {
        // A token nobody issued here (guessed, or another tenant's) is not worth a line in the log.
        if (row) await audit(client, { tenantId: input.tenantId, action: 'device.open', outcome: 'denied', reason: `device token ${refusal}`, sessionId: input.sessionId, deviceId: row.id });
        return { opened: false, reason: refusal ?? 'unknown' } as const;
      }
      const contact = openContact(input.token, row.sealed);
      await client.query('UPDATE agent_device_tokens SET last_used_at = $2 WHERE id = $1', [row.id, input.now]);
      await client.query(
        'UPDATE agent_sessions SET device_id = $3, contact_email = $4, contact_phone = $5 WHERE tenant_id = $1 AND id = $2',
        [input.tenantId, input.sessionId, row.id, 'email' in contact ? contact.email : null, 'phone' in contact ? contact.phone : null],
      );
      await audit(client, { tenantId: input.tenantId, action: 'device.open', outcome: 'succeeded', reason: 'conversation opened with a remembered device', sessionId: input.sessionId, deviceId: row.id, contact });
      return { opened: true } as const;
    },
    readCommitted,
  );
}

/** "Forget this device": the customer revokes their own token. False when it was unknown or already revoked. */
export async function forgetDevice(pool: Pool, input: { tenantId: string; token: string; now: Date }): Promise<boolean> {
  if (!deviceTokenPattern.test(input.token)) return false;
  return withTenant(
    pool,
    input.tenantId,
    async (client) => {
      const { rows } = await client.query<{ id: string }>(
        `UPDATE agent_device_tokens SET revoked_at = $3, revoked_by = 'customer' WHERE tenant_id = $1 AND token_hash = $2 AND revoked_at IS NULL RETURNING id`,
        [input.tenantId, hashToken(input.token), input.now],
      );
      if (rows[0]) await audit(client, { tenantId: input.tenantId, action: 'device.forget', outcome: 'succeeded', reason: 'the customer made the device forget them', deviceId: rows[0].id });
      return rows.length > 0;
    },
    readCommitted,
  );
}

/** Staff: revokes every device remembered for a customer's email or phone. Resolves to how many. */
export async function revokeCustomerDevices(pool: Pool, input: { tenantId: string; contact: CodeContact; now: Date }): Promise<number> {
  return withTenant(
    pool,
    input.tenantId,
    async (client) => {
      const { rowCount } = await client.query(
        `UPDATE agent_device_tokens SET revoked_at = $3, revoked_by = 'staff' WHERE tenant_id = $1 AND contact_hash = $2 AND revoked_at IS NULL`,
        [input.tenantId, contactKey(input.contact), input.now],
      );
      await audit(client, { tenantId: input.tenantId, actor: 'staff', action: 'device.revoke_all', outcome: 'succeeded', reason: `${rowCount ?? 0} device(s) revoked`, contact: input.contact });
      return rowCount ?? 0;
    },
    readCommitted,
  );
}
