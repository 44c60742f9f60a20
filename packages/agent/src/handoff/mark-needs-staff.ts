import { recordEvent, type PoolClient } from '@gomomo/core';
import type { ChatChannel } from '../types.js';

/** Why a conversation went to a person: the customer asked, or the receptionist failed twice in a row. */
export type HandoffReason = 'asked' | 'failures';

/**
 * Marks the conversation as needing staff inside the caller's transaction (the one that saves the
 * turn), with its `conversation.needs_staff` event: the console's badge and the on-duty
 * notification (autonomy) follow the committed event. Only a conversation the receptionist still
 * answers changes; false when staff already have it.
 */
export async function markNeedsStaff(client: PoolClient, input: { tenantId: string; sessionId: string; channel: ChatChannel; reason: HandoffReason; now: Date }): Promise<boolean> {
  const { rowCount } = await client.query(
    `UPDATE agent_sessions SET handoff = 'needs_staff', handoff_reason = $3, handoff_at = $4
      WHERE tenant_id = $1 AND id = $2 AND handoff = 'ai'`,
    [input.tenantId, input.sessionId, input.reason, input.now],
  );
  if (rowCount === 0) return false;
  await recordEvent(client, {
    tenantId: input.tenantId,
    type: 'conversation.needs_staff',
    sessionId: input.sessionId,
    payload: { reason: input.reason, channel: input.channel },
    occurredAt: input.now,
  });
  return true;
}
