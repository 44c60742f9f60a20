import { withTenant, type Pool, type PoolClient } from '@gomomo/core';
import type { ChatChannel } from '../types.js';
import { markNeedsStaff, type HandoffReason } from './mark-needs-staff.js';

/** What a channel hands to staff when the receptionist cannot (a message left on the phone outside hours). */
export interface StaffEscalation {
  tenantId: string;
  sessionId: string;
  channel: ChatChannel;
  reason: HandoffReason;
  /** The lines the conversation does not have yet (what the channel itself heard and said), oldest first; the last is usually the message. */
  messages: Array<{ role: 'user' | 'assistant'; content: string }>;
  /** The number to call back (a caller ID): the conversation's contact phone unless it has one. */
  phone?: string | undefined;
  now: Date;
}

const maxMessages = 50;

/**
 * Hands a conversation to staff with its transcript, in one transaction: the conversation (created
 * if the receptionist never answered in it, as when a caller asks for a person first), the lines it
 * is missing, and `needs_staff` with its `conversation.needs_staff` event — so the console's inbox
 * shows it with the badge and the on-duty contact is notified (autonomy), as for a chat hand-off.
 * Returns false when staff already had it (the transcript is still added).
 */
export async function escalateToStaff(pool: Pool, input: StaffEscalation): Promise<boolean> {
  return withTenant(pool, input.tenantId, (client) => escalateToStaffIn(client, input), { isolation: 'read committed' });
}

/**
 * `escalateToStaff` inside the caller's transaction (its tenant already set), so a channel can make
 * the hand-off and its own record of it commit together — and a retried delivery that finds its
 * record already there adds nothing (the voice channel's message for staff).
 */
export async function escalateToStaffIn(client: PoolClient, input: StaffEscalation): Promise<boolean> {
  const messages = input.messages.filter((m) => m.content.trim() !== '').slice(-maxMessages);
  await client.query(
    `INSERT INTO agent_sessions (id, tenant_id, channel, contact_phone, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
     ON CONFLICT (id) DO UPDATE SET contact_phone = COALESCE(agent_sessions.contact_phone, EXCLUDED.contact_phone), updated_at = EXCLUDED.updated_at`,
    [input.sessionId, input.tenantId, input.channel, input.phone ?? null, input.now],
  );
  for (const message of messages) {
    await client.query('INSERT INTO agent_messages (tenant_id, session_id, role, content, created_at) VALUES ($1, $2, $3, $4, $5)', [
      input.tenantId,
      input.sessionId,
      message.role,
      message.content.slice(0, 4000),
      input.now,
    ]);
  }
  return markNeedsStaff(client, { tenantId: input.tenantId, sessionId: input.sessionId, channel: input.channel, reason: input.reason, now: input.now });
}
