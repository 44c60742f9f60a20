import type { PoolClient } from '@gomomo/core';

type Queryable = Pick<PoolClient, 'query'>;

/** A person's SMS consent with one tenant. `unknown`: never texted STOP or START. */
export type SmsConsentStatus = 'opted_in' | 'opted_out' | 'unknown';

/** What changed consent; stored with the record and in the audit entry. */
export type ConsentSource = 'sms_keyword' | 'sms_phrase' | 'staff' | 'voice' | 'web';

export interface SmsConsent {
  status: SmsConsentStatus;
  source: string | null;
  keyword: string | null;
  updatedAt: string | null;
}

export interface RecordSmsConsentInput {
  tenantId: string;
  /** E.164. */
  phone: string;
  status: 'opted_in' | 'opted_out';
  source: ConsentSource;
  keyword?: string | undefined;
  at: Date;
}

export interface RecordSmsConsentResult {
  isChanged: boolean;
  previous: SmsConsentStatus;
}

// Consent is keyed by the person's number, not by conversation or receiving number: one STOP to any
// of a tenant's numbers stops every message from that tenant (CTIA: an opt-out applies to the
// program, not one number), and the voice channel reads the same row for the same phone.
const channel = 'sms';

/** Reads a phone's SMS consent with a tenant, inside the caller's tenant transaction. */
export async function readSmsConsent(client: Queryable, input: { tenantId: string; phone: string }): Promise<SmsConsent> {
  const { rows } = await client.query<{ status: 'opted_in' | 'opted_out'; source: string; keyword: string | null; updated_at: Date }>(
    'SELECT status, source, keyword, updated_at FROM contact_consents WHERE tenant_id = $1 AND channel = $2 AND address = $3',
    [input.tenantId, channel, input.phone],
  );
  const row = rows[0];
  if (!row) return { status: 'unknown', source: null, keyword: null, updatedAt: null };
  return { status: row.status, source: row.source, keyword: row.keyword, updatedAt: row.updated_at.toISOString() };
}

/**
 * Writes a phone's consent inside the caller's transaction and says whether it changed. Locks the
 * row (or its absence, through the upsert) so two simultaneous STOP/START texts apply in order.
 */
export async function writeSmsConsent(client: Queryable, input: RecordSmsConsentInput): Promise<RecordSmsConsentResult> {
  const { rows } = await client.query<{ status: 'opted_in' | 'opted_out' }>(
    'SELECT status FROM contact_consents WHERE tenant_id = $1 AND channel = $2 AND address = $3 FOR UPDATE',
    [input.tenantId, channel, input.phone],
  );
  const previous: SmsConsentStatus = rows[0]?.status ?? 'unknown';
  if (previous === input.status) return { isChanged: false, previous };
  await client.query(
    `INSERT INTO contact_consents (tenant_id, channel, address, status, source, keyword, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (tenant_id, channel, address)
     DO UPDATE SET status = EXCLUDED.status, source = EXCLUDED.source, keyword = EXCLUDED.keyword, updated_at = EXCLUDED.updated_at`,
    [input.tenantId, channel, input.phone, input.status, input.source, input.keyword ?? null, input.at],
  );
  return { isChanged: true, previous };
}
