import { withTenant, type Pool, type PoolClient } from '@gomomo/core';
import { appendAudit, pseudonymOf } from '@gomomo/policy';
import { z } from 'zod';
import { ChannelError } from '../../errors.js';

type Queryable = Pick<PoolClient, 'query'>;

/** One of a tenant's receiving numbers. */
export interface PhoneNumber {
  id: string;
  tenantId: string;
  number: string;
  label: string;
  isActive: boolean;
  /** What the number receives: SMS, voice calls, or both. */
  capabilities: PhoneCapability[];
}

/** What a receiving number is used for. */
export const phoneCapabilities = ['sms', 'voice'] as const;
export type PhoneCapability = (typeof phoneCapabilities)[number];

const addSchema = z.object({
  tenantId: z.uuid('must be a UUID'),
  number: z.string().trim().regex(/^(\+[1-9]\d{6,14}|\d{3,8})$/, 'must be an E.164 phone number like +15551234567 or a short code'),
  label: z.string().trim().max(200, 'must be at most 200 characters').default(''),
  capabilities: z
    .array(z.enum(phoneCapabilities, { message: 'must be sms or voice' }))
    .min(1, 'must name at least one of sms, voice')
    .transform((list) => [...new Set(list)])
    .default(['sms']),
});

const columns = 'id, tenant_id AS "tenantId", number, label, is_active AS "isActive", capabilities';

/**
 * Registers a number on which the tenant receives SMS, audited as `phone_number.add`. A number
 * belongs to one tenant only: registering another tenant's number is a VALIDATION error naming
 * `number`.
 */
export async function addPhoneNumber(pool: Pool, input: { tenantId: string; number: string; label?: string; capabilities?: PhoneCapability[] | undefined }): Promise<PhoneNumber> {
  const parsed = addSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    throw new ChannelError('VALIDATION', `${field}: ${issue.message}`, { field });
  }
  const { tenantId, number, label, capabilities } = parsed.data;
  try {
    return await withTenant(pool, tenantId, async (client) => {
      const { rows } = await client.query<PhoneNumber>(`INSERT INTO phone_numbers (tenant_id, number, label, capabilities) VALUES ($1, $2, $3, $4) RETURNING ${columns}`, [tenantId, number, label, capabilities]);
      // Which numbers route to a tenant decides whose customers' texts it reads: audited, in the same
      // transaction as the change.
      await appendAudit(client, {
        tenantId,
        actor: 'staff',
        channel: 'system',
        action: 'phone_number.add',
        outcome: 'succeeded',
        subjectId: rows[0]!.id,
        details: { label, capabilities },
      });
      return rows[0]!;
      // READ COMMITTED: the unique number is all this needs, and the audit append then reads the
      // chain's head fresh instead of from a snapshot another append may have overtaken.
    }, { isolation: 'read committed' });
  } catch (error) {
    // Only the number's own uniqueness means "taken"; any other 23505 is not about the number.
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === '23505' && constraint === 'phone_numbers_number_key') {
      throw new ChannelError('VALIDATION', `number: ${number} already receives SMS for a tenant`, { field: 'number', cause: error });
    }
    throw error;
  }
}

/** The tenant's receiving numbers, active or not. */
export async function listPhoneNumbers(pool: Pool, tenantId: string): Promise<PhoneNumber[]> {
  return withTenant(pool, tenantId, async (client) => {
    const { rows } = await client.query<PhoneNumber>(`SELECT ${columns} FROM phone_numbers WHERE tenant_id = $1 ORDER BY created_at, number`, [tenantId]);
    return rows;
  }, { isolation: 'read committed' });
}

/**
 * Which tenant receives SMS on `number`, across all tenants. Runs as the owner role with no tenant
 * set (the one lookup that must see every tenant's numbers), reading one indexed row.
 */
export async function findTenantByNumber(pool: Queryable, number: string): Promise<string | null> {
  const { rows } = await pool.query<{ tenant_id: string }>("SELECT tenant_id FROM phone_numbers WHERE number = $1 AND is_active AND 'sms' = ANY (capabilities)", [number]);
  return rows[0]?.tenant_id ?? null;
}

/**
 * Keeps the operator's record of a message to a number no tenant owns: a misconfigured Twilio
 * number, or a number released from a tenant. The sender is stored only as a keyed pseudonym
 * (HMAC with the server's audit key: a plain sha256 of a phone number is reversed in seconds).
 */
export async function recordUnroutedSms(pool: Queryable, input: { to: string; from: string; messageSid: string; at: Date }): Promise<void> {
  const fromRef = pseudonymOf('unrouted-sms', input.from);
  await pool.query('INSERT INTO inbound_sms_unrouted (to_number, from_ref, message_sid, received_at) VALUES ($1, $2, $3, $4)', [
    input.to.slice(0, 32),
    fromRef,
    input.messageSid.slice(0, 64),
    input.at,
  ]);
}

/** The latest messages to unknown numbers, newest first (for the operator's dashboard). */
export async function listUnroutedSms(pool: Queryable, limit = 50): Promise<Array<{ to: string; fromRef: string; messageSid: string; receivedAt: Date }>> {
  const { rows } = await pool.query<{ to: string; fromRef: string; messageSid: string; receivedAt: Date }>(
    'SELECT to_number AS "to", from_ref AS "fromRef", message_sid AS "messageSid", received_at AS "receivedAt" FROM inbound_sms_unrouted ORDER BY id DESC LIMIT $1',
    [limit],
  );
  return rows;
}
