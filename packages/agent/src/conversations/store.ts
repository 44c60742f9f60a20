import { isBookingError, readServices, readTenant, withTenant, type Pool, type PoolClient, type Service, type Tenant } from '@gomomo/core';
import { AgentError } from '../errors.js';
import type { ChatChannel, ConversationMessage, ToolCallRecord } from '../types.js';

/** A conversation as the receptionist keeps it between turns. */
export interface Session {
  id: string;
  tenantId: string;
  channel: ChatChannel;
  contact: { name: string | null; email: string | null; phone: string | null };
  /** The brain's working memory (the offline brain's slot filling). */
  state: Record<string, unknown>;
  turnCount: number;
}

/** A message about to be stored. */
export interface NewMessage {
  role: ConversationMessage['role'];
  content: string;
  toolCalls?: ToolCallRecord[] | undefined;
  toolCallId?: string | undefined;
  toolName?: string | undefined;
}

const readCommitted = { isolation: 'read committed' } as const;

interface SessionRow {
  id: string;
  tenant_id: string;
  channel: ChatChannel;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  state: Record<string, unknown>;
  turn_count: number;
}

function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    channel: row.channel,
    contact: { name: row.contact_name, email: row.contact_email, phone: row.contact_phone },
    state: row.state,
    turnCount: row.turn_count,
  };
}

/** What a turn starts from, read in one transaction. */
export interface OpenedTurn {
  session: Session;
  tenant: Tenant;
  services: Service[];
}

/**
 * Opens the conversation `sessionId` for `tenantId`, creating it on the first turn, and reads the
 * tenant and its services in the same transaction (one round of BEGIN/COMMIT per turn start). The
 * id is globally unique: when another tenant owns it, the insert collides but Row-Level Security
 * hides the row, and the turn is refused rather than joined to a stranger's conversation.
 */
export async function openTurn(pool: Pool, input: { tenantId: string; sessionId: string; channel: ChatChannel; now: Date }): Promise<OpenedTurn> {
  return withTenant(
    pool,
    input.tenantId,
    async (client) => {
      let tenant: Tenant;
      try {
        tenant = await readTenant(client, input.tenantId);
      } catch (error) {
        if (isBookingError(error, 'NOT_FOUND')) throw new AgentError('TENANT_NOT_FOUND', `Tenant ${input.tenantId} does not exist`, { field: 'tenantId', cause: error });
        throw error;
      }
      await client.query(
        `INSERT INTO agent_sessions (id, tenant_id, channel, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (id) DO NOTHING`,
        [input.sessionId, input.tenantId, input.channel, input.now],
      );
      const { rows } = await client.query<SessionRow>('SELECT * FROM agent_sessions WHERE id = $1 AND tenant_id = $2', [input.sessionId, input.tenantId]);
      const row = rows[0];
      if (!row) throw new AgentError('SESSION_TENANT_MISMATCH', `Session "${input.sessionId.slice(0, 40)}" belongs to another business; start a new conversation`, { field: 'sessionId' });
      if (row.channel !== input.channel) {
        throw new AgentError('SESSION_CHANNEL_MISMATCH', `Session "${input.sessionId.slice(0, 40)}" is a ${row.channel} conversation, not ${input.channel}`, { field: 'channel' });
      }
      return { session: toSession(row), tenant, services: await readServices(client, input.tenantId) };
    },
    readCommitted,
  );
}

/** Stores a finished turn in one transaction: its messages, the brain's state and the contact learned. */
export async function saveTurn(pool: Pool, input: { session: Session; messages: NewMessage[]; now: Date }): Promise<void> {
  const { session } = input;
  await withTenant(
    pool,
    session.tenantId,
    async (client) => {
      await insertMessages(client, session, input);
      await client.query(
        `UPDATE agent_sessions SET state = $3, contact_name = $4, contact_email = $5, contact_phone = $6,
                turn_count = turn_count + 1, updated_at = $7
          WHERE id = $1 AND tenant_id = $2`,
        [session.id, session.tenantId, session.state, session.contact.name, session.contact.email, session.contact.phone, input.now],
      );
    },
    readCommitted,
  );
}

async function insertMessages(client: PoolClient, session: Session, input: { messages: NewMessage[]; now: Date }): Promise<void> {
  if (input.messages.length === 0) return;
  // One multi-row insert: a turn with several tool rounds is still one round trip.
  const values: unknown[] = [];
  const tuples = input.messages.map((message, index) => {
    const base = index * 6;
    values.push(message.role, message.content.slice(0, 20_000), message.toolCalls ? JSON.stringify(message.toolCalls) : null, message.toolCallId ?? null, message.toolName ?? null, input.now);
    return `($1, $2, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}, $${base + 7}, $${base + 8})`;
  });
  await client.query(
    `INSERT INTO agent_messages (tenant_id, session_id, role, content, tool_calls, tool_call_id, tool_name, created_at) VALUES ${tuples.join(', ')}`,
    [session.tenantId, session.id, ...values],
  );
}

/**
 * The last `limit` messages of a conversation, oldest first. Without `includeTools` only what the
 * customer saw (their words and the replies); with it, the tool traffic a model needs to resume.
 */
export async function readHistory(pool: Pool, input: { tenantId: string; sessionId: string; limit?: number | undefined; includeTools?: boolean }): Promise<ConversationMessage[]> {
  const limit = Math.min(Math.max(input.limit ?? 50, 1), 500);
  const roleFilter = input.includeTools ? '' : `AND role <> 'tool' AND tool_calls IS NULL`;
  return withTenant(
    pool,
    input.tenantId,
    async (client) => {
      const { rows } = await client.query<ConversationMessage & { id: string; createdAt: Date }>(
        `SELECT id, role, content, tool_calls AS "toolCalls", tool_call_id AS "toolCallId", tool_name AS "toolName", created_at AS "createdAt"
           FROM agent_messages WHERE tenant_id = $1 AND session_id = $2 ${roleFilter}
          ORDER BY id DESC LIMIT $3`,
        [input.tenantId, input.sessionId, limit],
      );
      return rows.reverse().map((row) => ({ ...row, id: Number(row.id), createdAt: new Date(row.createdAt).toISOString() }));
    },
    readCommitted,
  );
}
