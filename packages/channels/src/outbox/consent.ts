import { ChannelError } from '../errors.js';
import { normalizeEmail, normalizePhone } from '../internal/addresses.js';
import type { Queryable } from '../internal/db.js';
import type { Channel } from '../transports/types.js';

export type ConsentStatus = 'opted_in' | 'opted_out';

export interface ConsentInput {
  tenantId: string;
  channel: Channel;
  address: string;
  status: ConsentStatus;
  /** Where the decision came from: 'sms_keyword', 'twilio_21610', 'staff', … */
  source: string;
  keyword?: string | undefined;
}

function normalize(channel: Channel, address: string): string {
  const normalized = channel === 'sms' ? normalizePhone(address) : normalizeEmail(address);
  if (!normalized) throw new ChannelError('VALIDATION', `address: not a valid ${channel === 'sms' ? 'E.164 phone number' : 'email address'}`, { field: 'address' });
  return normalized;
}

/** Records a person's consent for one tenant and channel (the latest decision wins). */
export async function recordConsent(client: Queryable, input: ConsentInput): Promise<void> {
  await client.query(
    `INSERT INTO contact_consents (tenant_id, channel, address, status, source, keyword, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (tenant_id, channel, address)
     DO UPDATE SET status = EXCLUDED.status, source = EXCLUDED.source, keyword = EXCLUDED.keyword, updated_at = now()`,
    [input.tenantId, input.channel, normalize(input.channel, input.address), input.status, input.source, input.keyword ?? null],
  );
}

/** True when the person opted out of this tenant's messages on this channel. */
export async function isOptedOut(client: Queryable, input: { tenantId: string; channel: Channel; address: string }): Promise<boolean> {
  const { rows } = await client.query<{ status: ConsentStatus }>(
    'SELECT status FROM contact_consents WHERE tenant_id = $1 AND channel = $2 AND address = $3',
    [input.tenantId, input.channel, normalize(input.channel, input.address)],
  );
  return rows[0]?.status === 'opted_out';
}
