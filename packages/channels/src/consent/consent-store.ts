import type { PoolClient } from '@gomomo/core';

type Queryable = Pick<PoolClient, 'query'>;

/** A person's SMS consent with one tenant. `unknown`: never texted STOP or START. */
export type SmsConsentStatus = 'opted_in' | 'opted_out' | 'unknown';

/** What changed consent; stored with the record and in the audit entry. */
export type ConsentSource = 'sms_keyword' | 'sms_phrase' | 'staff' | 'voice' | 'web' | 'carrier';

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
 * Writes a phone's consent inside the caller's transaction and says whether it changed. One
 * insert-on-conflict that updates only a row whose status differs: of two simultaneous STOPs, the
 * second waits on the first's row (or unique-index entry), re-reads it under READ COMMITTED, finds
 * nothing to change and returns no row. (A SELECT … FOR UPDATE first would lock nothing when the
 * number has no row yet, and both would see "unknown".)
 */
export async function writeSmsConsent(client: Queryable, input: RecordSmsConsentInput): Promise<RecordSmsConsentResult> {
  const { rows } = await client.query<{ isInserted: boolean }>(
    `INSERT INTO contact_consents AS c (tenant_id, channel, address, status, source, keyword, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (tenant_id, channel, address)
     DO UPDATE SET status = EXCLUDED.status, source = EXCLUDED.source, keyword = EXCLUDED.keyword, updated_at = EXCLUDED.updated_at
     WHERE c.status <> EXCLUDED.status
     RETURNING (xmax = 0) AS "isInserted"`,
    [input.tenantId, channel, input.phone, input.status, input.source, input.keyword ?? null, input.at],
  );
  const row = rows[0];
  if (!row) return { isChanged: false, previous: input.status };
  // Two statuses only: an update that happened means the row held the other one.
  const previous: SmsConsentStatus = row.isInserted ? 'unknown' : input.status === 'opted_out' ? 'opted_in' : 'opted_out';
  return { isChanged: true, previous };
}

/** Puts an address on the tenant's suppression list (the first reason is kept); true when it was not there yet. */
export async function writeEmailSuppression(client: Queryable, input: { tenantId: string; email: string; reason: string; detail?: string | undefined }): Promise<boolean> {
  const { rowCount } = await client.query(
    `INSERT INTO email_suppressions (tenant_id, email, reason, detail) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, email) DO NOTHING`,
    [input.tenantId, input.email, input.reason, (input.detail ?? '').slice(0, 1000)],
  );
  return (rowCount ?? 0) > 0;
}
