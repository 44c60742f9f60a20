import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { isSessionTokenFormat } from '@gomomo/contracts';
import { sqlState, withTenant, type Pool } from '@gomomo/core';
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

const readCommitted = { isolation: 'read committed' } as const;

/**
 * Starts a conversation for `tenantId`: a random session id and a bearer token of 256 bits, of
 * which only the SHA-256 is stored. The token is the only way a visitor reaches the conversation.
 */
export async function startConversation(pool: Pool, input: { tenantId: string; channel: ChatChannel; now: Date }): Promise<StartedConversation> {
  const sessionId = randomUUID();
  const token = `gms_${randomBytes(32).toString('base64url')}`;
  try {
    await withTenant(
      pool,
      input.tenantId,
      (client) =>
        client.query('INSERT INTO agent_sessions (id, tenant_id, channel, token_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)', [
          sessionId,
          input.tenantId,
          input.channel,
          hashToken(token),
          input.now,
        ]),
      readCommitted,
    );
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
  const [where, value] = input.token !== undefined ? ['token_hash = $2', hashToken(input.token)] : ['id = $2', input.sessionId];
  const { rows } = await withTenant(
    pool,
    input.tenantId,
    (client) => client.query<{ id: string; channel: ChatChannel }>(`SELECT id, channel FROM agent_sessions WHERE tenant_id = $1 AND ${where}`, [input.tenantId, value]),
    readCommitted,
  );
  return rows[0] ? { sessionId: rows[0].id, channel: rows[0].channel } : null;
}
