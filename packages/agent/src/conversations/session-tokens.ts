import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { isSessionTokenFormat } from '@gomomo/contracts';
import { assertTenantId, sqlState, type Pool } from '@gomomo/core';
import { AgentError } from '../errors.js';
import type { ChatChannel } from '../types.js';

/** A conversation the server just started: its internal id and the caller's bearer token for it. */
export interface StartedConversation {
  sessionId: string;
  /** Shown once; only its hash is stored. */
  token: string;
}

/** A conversation found by its token or id, within the caller's tenant. */
export interface FoundConversation {
  sessionId: string;
  channel: ChatChannel;
}

// The token's format (`gms_` + 43 base64url characters: recognisable when leaked, 256 bits, fits a
// header unescaped) is @gomomo/contracts' `sessionTokenPattern`, which the server validates with too.
export { isSessionTokenFormat };

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}


/**
 * Starts a conversation for `tenantId`: a random session id and a bearer token of 256 bits, of
 * which only the SHA-256 is stored. The token is the only way a visitor reaches the conversation.
 */
export async function startConversation(pool: Pool, input: { tenantId: string; channel: ChatChannel; now: Date }): Promise<StartedConversation> {
  const sessionId = randomUUID();
  const token = `gms_${randomBytes(32).toString('base64url')}`;
  assertTenantId(input.tenantId);
  try {
    // One statement that enters the tenant itself (migration 0173), so Row-Level Security applies.
    await pool.query({
      name: 'gomomo_agent_start_conversation',
      text: 'SELECT gomomo_agent_start_conversation($1, $2, $3, $4, $5)',
      values: [input.tenantId, sessionId, input.channel, hashToken(token), input.now],
    });
  } catch (error) {
    if (sqlState(error) === '23503') throw new AgentError('TENANT_NOT_FOUND', `Tenant ${input.tenantId} does not exist`, { field: 'tenantId', cause: error });
    throw error;
  }
  return { sessionId, token };
}

/**
 * The tenant's conversation with this token (visitors) or id (staff), or null. Row-Level Security
 * hides other tenants' rows, so a foreign conversation and an unknown one look the same: null.
 */
export async function findConversation(pool: Pool, input: { tenantId: string; token?: string | undefined; sessionId?: string | undefined }): Promise<FoundConversation | null> {
  if (input.token !== undefined && !isSessionTokenFormat(input.token)) return null;
  if (input.token === undefined && input.sessionId === undefined) return null;
  assertTenantId(input.tenantId);
  // One statement that enters the tenant itself (migration 0173), so Row-Level Security applies.
  const { rows } = await pool.query<{ id: string; channel: ChatChannel }>({
    name: 'gomomo_agent_find_conversation',
    text: 'SELECT id, channel FROM gomomo_agent_find_conversation($1, $2, $3)',
    values: [input.tenantId, input.token !== undefined ? hashToken(input.token) : null, input.token !== undefined ? null : input.sessionId],
  });
  return rows[0] ? { sessionId: rows[0].id, channel: rows[0].channel } : null;
}
