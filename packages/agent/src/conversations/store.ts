import { withTenant, type Pool, type PoolClient } from '@gomomo/core';
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
  /** This turn's claim on the conversation (see open-turn.ts); given back when the turn is saved. */
  turnToken: string;
  /** Who answers: the receptionist ('ai'), nobody yet ('needs_staff'), or a staff member ('staff'). */
  handoff: Handoff;
  /** Consecutive failed turns (an apology, a tool that failed internally); two hand the conversation to a person. */
  failureStreak: number;
}

/** Who answers a conversation (migration 0170). */
export const handoffStates = ['ai', 'needs_staff', 'staff'] as const;
export type Handoff = (typeof handoffStates)[number];

/** A message about to be stored. */
export interface NewMessage {
  role: ConversationMessage['role'];
  content: string;
  toolCalls?: ToolCallRecord[] | undefined;
  toolCallId?: string | undefined;
  toolName?: string | undefined;
}

const readCommitted = { isolation: 'read committed' } as const;

export interface SessionRow {
  id: string;
  tenant_id: string;
  channel: ChatChannel;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  state: Record<string, unknown>;
  turn_count: number;
  turn_token: string | null;
  handoff: Handoff;
  failure_streak: number;
}

export function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    channel: row.channel,
    contact: { name: row.contact_name, email: row.contact_email, phone: row.contact_phone },
    state: row.state,
    turnCount: row.turn_count,
    turnToken: row.turn_token ?? '',
    handoff: row.handoff,
    failureStreak: row.failure_streak,
  };
}

/**
 * Stores a finished turn in one transaction: its messages, the brain's state, the contact learned,
 * the turn's audit entries (`audit`, so the log and the conversation commit together) — and gives
 * the turn's lease back. The hand-off check, messages, session and audit entries are one statement;
 * what depends on its outcome (`writeAfter`) follows in the same transaction.
 *
 * `isAnswer`: the turn answers as the receptionist. The conversation's row is locked and its
 * hand-off read first, so a staff take-over commits either before this (the turn is silenced: only
 * the customer's words are stored, the reply and the brain's new state are dropped) or after it.
 */
export async function saveTurn(
  pool: Pool,
  input: {
    session: Session;
    messages: NewMessage[];
    now: Date;
    isAnswer?: boolean;
    /** The turn's audit entries as one batch (policy's `auditBatchOf`), appended by the statement, last. */
    audit?: string | undefined;
    /** Further writes of the turn, in its transaction, once the statement has said whether it was silenced. */
    writeAfter?: ((client: PoolClient, saved: SavedTurn) => Promise<void>) | undefined;
  },
): Promise<SavedTurn> {
  const { session } = input;
  return withTenant(
    pool,
    session.tenantId,
    async (client) => {
      const { sql, values } = insertMessagesSql(session, { messages: input.messages, now: input.now });
      // One statement (issue 15: the lock was a round trip of its own). An answer first locks the
      // conversation's row and reads who answers it (`handoff_lock`, evaluated before the writes that read
      // it); at READ COMMITTED, a take-over committed since the statement began is waited for and
      // its row is the one read. Silenced, only the customer's words are stored, and the brain's
      // state and failure streak are left as they were. The audit entries come last, read last in
      // the final SELECT (a data-modifying CTE nothing reads runs after the rest): they take the
      // tenant's chain lock, held until COMMIT, after the conversation's row lock, never before it.
      const { rows } = await client.query<{ isSilenced: boolean }>(
        `WITH handoff_lock AS MATERIALIZED (
           SELECT handoff FROM agent_sessions WHERE $10 AND id = $1 AND tenant_id = $2 FOR UPDATE),
         silenced AS MATERIALIZED (
           SELECT $10 AND (SELECT handoff FROM handoff_lock) IS DISTINCT FROM 'ai' AS yes),
         saved AS (${sql} RETURNING 1),
         turn_saved AS (
           UPDATE agent_sessions SET state = CASE WHEN s.yes THEN state ELSE $3 END, contact_name = $4, contact_email = $5, contact_phone = $6,
                  turn_count = turn_count + 1, updated_at = $7, failure_streak = CASE WHEN s.yes THEN failure_streak ELSE $9 END,
                  turn_expires_at = CASE WHEN turn_token = $8 THEN NULL ELSE turn_expires_at END,
                  turn_token = CASE WHEN turn_token = $8 THEN NULL ELSE turn_token END
             FROM silenced s
            WHERE id = $1 AND tenant_id = $2
           RETURNING 1),
         audited AS (
           SELECT id FROM gomomo_audit_append_batch($11::jsonb) WHERE $11::jsonb IS NOT NULL)
         SELECT yes AS "isSilenced", (SELECT count(*) FROM saved) AS saved, (SELECT count(*) FROM turn_saved) AS "turnSaved",
                (SELECT count(*) FROM audited) AS audited
           FROM silenced`,
        [session.id, session.tenantId, session.state, session.contact.name, session.contact.email, session.contact.phone, input.now, session.turnToken || null, session.failureStreak, input.isAnswer === true, input.audit ?? null, ...values],
      );
      const saved = { isSilenced: rows[0]?.isSilenced === true };
      await input.writeAfter?.(client, saved);
      return saved;
    },
    readCommitted,
  );
}

/** What saving a turn decided. */
export interface SavedTurn {
  /** Staff took the conversation over while the turn ran: its reply was not stored and must not be sent. */
  isSilenced: boolean;
}

/** Gives a turn's lease back without saving it (the turn failed before it could be stored). */
export async function releaseTurn(pool: Pool, session: Session): Promise<void> {
  await withTenant(
    pool,
    session.tenantId,
    (client) =>
      client.query('UPDATE agent_sessions SET turn_token = NULL, turn_expires_at = NULL WHERE id = $1 AND tenant_id = $2 AND turn_token = $3', [session.id, session.tenantId, session.turnToken]),
    readCommitted,
  );
}

// The first eleven parameters belong to the session update and the audit; messages follow.
const firstMessageParam = 12;

function insertMessagesSql(session: Session, input: { messages: NewMessage[]; now: Date }): { sql: string; values: unknown[] } {
  // One multi-row insert: a turn with several tool rounds is still one round trip. Every turn has
  // at least the customer's message and the reply. A silenced turn (`silenced`, see saveTurn)
  // stores the customer's messages only.
  const values: unknown[] = [];
  const tuples = input.messages.map((message, index) => {
    const base = firstMessageParam + index * 6;
    values.push(message.role, message.content.slice(0, 20_000), message.toolCalls ? JSON.stringify(message.toolCalls) : null, message.toolCallId ?? null, message.toolName ?? null, input.now);
    return `(${index}, $${base}::text, $${base + 1}::text, $${base + 2}::jsonb, $${base + 3}::text, $${base + 4}::text, $${base + 5}::timestamptz)`;
  });
  const sql = `INSERT INTO agent_messages (tenant_id, session_id, role, content, tool_calls, tool_call_id, tool_name, created_at)
               SELECT $2, $1, m.role, m.content, m.tool_calls, m.tool_call_id, m.tool_name, m.created_at
                 FROM (VALUES ${tuples.join(', ')}) AS m (n, role, content, tool_calls, tool_call_id, tool_name, created_at), silenced
                WHERE m.role = 'user' OR NOT silenced.yes
                ORDER BY m.n`;
  return { sql, values };
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

/**
 * Which of `references` the conversation's record names already: the customer's messages, and
 * replies and tool results stored by earlier turns. The claim check asks only about references a
 * reply names that this turn's tools did not return, so most turns never run this.
 */
export async function findRecordedReferences(pool: Pool, input: { tenantId: string; sessionId: string; references: string[] }): Promise<string[]> {
  if (input.references.length === 0) return [];
  return withTenant(
    pool,
    input.tenantId,
    async (client) => {
      const { rows } = await client.query<{ reference: string }>(
        `SELECT r AS reference FROM unnest($3::text[]) AS r
          WHERE EXISTS (SELECT 1 FROM agent_messages m
                         WHERE m.tenant_id = $1 AND m.session_id = $2
                           AND (upper(m.content) LIKE '%' || r || '%' OR upper(m.content) LIKE '%' || replace(r, '-', '') || '%'))`,
        [input.tenantId, input.sessionId, input.references],
      );
      return rows.map((row) => row.reference);
    },
    readCommitted,
  );
}

/**
 * Who answers the conversation now (no lock): checked before a tool that changes something. One
 * autocommit statement that enters the tenant itself (migration 0171), so Row-Level Security applies.
 * The tenant id is the opened turn's, checked when the turn opened.
 */
export async function readHandoff(pool: Pool, session: Pick<Session, 'id' | 'tenantId'>): Promise<Handoff | null> {
  const { rows } = await pool.query<{ handoff: Handoff | null }>({ name: 'gomomo_agent_handoff', text: 'SELECT gomomo_agent_handoff($1, $2) AS handoff', values: [session.tenantId, session.id] });
  return rows[0]?.handoff ?? null;
}
