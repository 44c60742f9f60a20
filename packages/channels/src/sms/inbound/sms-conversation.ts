import { randomBytes } from 'node:crypto';
import type { PoolClient } from '@gomomo/core';

// Created on the first text, found on every later one. ON CONFLICT DO NOTHING then a read: two
// texts arriving together both end up with the row the first one committed (READ COMMITTED lets
// the second statement see it).
const createSql = `INSERT INTO sms_conversations (tenant_id, phone, session_id, created_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (tenant_id, phone) DO NOTHING RETURNING session_id`;
const findSql = 'SELECT session_id FROM sms_conversations WHERE tenant_id = $1 AND phone = $2';

/**
 * The receptionist's session id of the SMS conversation between a business and a phone number,
 * created on first use. One per (tenant, phone): a person who texts two businesses has two
 * conversations. The id is random, so the number never appears in it. Call it inside the tenant's
 * transaction (`withTenant`); other packages (waitlist offers by SMS) use it to act in that thread.
 */
export async function smsConversationFor(client: PoolClient, input: { tenantId: string; phone: string; now: Date }): Promise<string> {
  const found = await client.query<{ session_id: string }>(findSql, [input.tenantId, input.phone]);
  if (found.rows[0]) return found.rows[0].session_id;
  const created = await client.query<{ session_id: string }>(createSql, [input.tenantId, input.phone, `sms_${randomBytes(16).toString('hex')}`, input.now]);
  if (created.rows[0]) return created.rows[0].session_id;
  const raced = await client.query<{ session_id: string }>(findSql, [input.tenantId, input.phone]);
  return raced.rows[0]!.session_id;
}

/**
 * The phone number of an SMS conversation, by its session id: where a staff member's reply in that
 * thread goes (the hand-off to a person). Null when the session is not an SMS conversation of the
 * tenant. Call it inside the tenant's transaction.
 */
export async function findSmsConversationPhone(client: PoolClient, input: { tenantId: string; sessionId: string }): Promise<string | null> {
  const { rows } = await client.query<{ phone: string }>('SELECT phone FROM sms_conversations WHERE tenant_id = $1 AND session_id = $2', [input.tenantId, input.sessionId]);
  return rows[0]?.phone ?? null;
}
