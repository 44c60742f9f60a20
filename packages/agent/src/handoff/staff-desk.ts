import { recordEvent, systemClock, withTenant, type Clock, type Pool, type PoolClient } from '@gomomo/core';
import { appendAudit, queryAudit, type AuditEntry } from '@gomomo/policy';
import { AgentError } from '../errors.js';
import type { Handoff } from '../conversations/store.js';
import type { ChatChannel, ToolCallRecord } from '../types.js';
import type { HandoffReason } from './mark-needs-staff.js';

/** One conversation as the console's inbox lists it. Contacts are shown to staff as stored. */
export interface ConversationSummary {
  sessionId: string;
  channel: ChatChannel;
  handoff: Handoff;
  handoffReason: HandoffReason | null;
  /** The staff member holding the conversation, while `handoff` is 'staff'. */
  staffId: string | null;
  handoffAt: string | null;
  contact: { name: string | null; email: string | null; phone: string | null };
  turnCount: number;
  createdAt: string;
  updatedAt: string;
  lastMessage: { role: TranscriptMessage['role']; content: string; createdAt: string } | null;
}

/** One stored message of the transcript, tool traffic included. */
export interface TranscriptMessage {
  id: number;
  role: 'user' | 'assistant' | 'tool' | 'staff';
  content: string;
  toolCalls: ToolCallRecord[] | null;
  toolName: string | null;
  staffId: string | null;
  createdAt: string;
}

/** A conversation with its transcript and the policy's decisions about it (oldest first), for the console. */
export interface ConversationDetail extends ConversationSummary {
  messages: TranscriptMessage[];
  decisions: AuditEntry[];
}

/** Who acts at the desk: the staff member's id (the console's), for the audit log and the transcript. */
export interface StaffActor {
  tenantId: string;
  sessionId: string;
  staffId: string;
}

/** What `reply` hands to `deliver`, inside its transaction, for channels that do not push (SMS). */
export interface StaffReplyDelivery {
  tenantId: string;
  sessionId: string;
  channel: ChatChannel;
  messageId: number;
  text: string;
  contact: ConversationSummary['contact'];
}

/** The staff side of the hand-off to a person, and the inbox (issue 17, items 3 and 4). */
export interface StaffDesk {
  /** The tenant's conversations, most recently active first; `before` is the previous page's `nextCursor`. */
  listConversations(input: { tenantId: string; handoff?: Handoff | undefined; limit?: number | undefined; before?: string | undefined }): Promise<{ conversations: ConversationSummary[]; nextCursor: string | null }>;
  /** A conversation with its transcript and policy decisions; null for unknown and other tenants' alike. */
  readConversation(input: { tenantId: string; sessionId: string }): Promise<ConversationDetail | null>;
  /** A staff member takes the conversation over: the receptionist stays silent in it until handed back. Null when unknown. */
  takeOver(input: StaffActor): Promise<ConversationSummary | null>;
  /**
   * A staff member's reply, stored and pushed (`conversation.staff_replied`, which the widget
   * receives). `deliver` runs in the same transaction: the server sends SMS replies through the
   * outbox there. Refused (CONVERSATION_NOT_HELD) unless this staff member holds the conversation.
   */
  reply(input: StaffActor & { text: string; deliver?: ((client: PoolClient, delivery: StaffReplyDelivery) => Promise<void>) | undefined }): Promise<{ messageId: number } | null>;
  /** Gives the conversation back to the receptionist (from its holder, or one still waiting for staff). */
  handBack(input: StaffActor): Promise<ConversationSummary | null>;
}

interface SummaryRow {
  sessionId: string;
  channel: ChatChannel;
  handoff: Handoff;
  handoffReason: HandoffReason | null;
  staffId: string | null;
  handoffAt: Date | null;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  turnCount: number;
  createdAt: Date;
  updatedAt: Date;
  lastRole: TranscriptMessage['role'] | null;
  lastContent: string | null;
  lastAt: Date | null;
}

const summaryColumns = `s.id AS "sessionId", s.channel, s.handoff, s.handoff_reason AS "handoffReason", s.handoff_staff_id AS "staffId",
  s.handoff_at AS "handoffAt", s.contact_name AS "contactName", s.contact_email AS "contactEmail", s.contact_phone AS "contactPhone",
  s.turn_count AS "turnCount", s.created_at AS "createdAt", s.updated_at AS "updatedAt",
  last.role AS "lastRole", last.content AS "lastContent", last.created_at AS "lastAt"`;

// The last message a customer could see (not tool traffic), for the inbox's preview line.
const lastMessageJoin = `LEFT JOIN LATERAL (
  SELECT m.role, left(m.content, 200) AS content, m.created_at FROM agent_messages m
   WHERE m.tenant_id = s.tenant_id AND m.session_id = s.id AND m.role <> 'tool' AND m.tool_calls IS NULL
   ORDER BY m.id DESC LIMIT 1) last ON true`;

const iso = (value: Date | null): string | null => (value ? new Date(value).toISOString() : null);

function toSummary(row: SummaryRow): ConversationSummary {
  return {
    sessionId: row.sessionId,
    channel: row.channel,
    handoff: row.handoff,
    handoffReason: row.handoffReason,
    staffId: row.staffId,
    handoffAt: iso(row.handoffAt),
    contact: { name: row.contactName, email: row.contactEmail, phone: row.contactPhone },
    turnCount: row.turnCount,
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
    lastMessage: row.lastRole && row.lastAt ? { role: row.lastRole, content: row.lastContent ?? '', createdAt: iso(row.lastAt)! } : null,
  };
}

async function readSummary(client: PoolClient, input: { tenantId: string; sessionId: string }): Promise<ConversationSummary | null> {
  const { rows } = await client.query<SummaryRow>(`SELECT ${summaryColumns} FROM agent_sessions s ${lastMessageJoin} WHERE s.tenant_id = $1 AND s.id = $2`, [input.tenantId, input.sessionId]);
  return rows[0] ? toSummary(rows[0]) : null;
}

/** The session row, locked for the change (so a take-over and a reply cannot cross). */
async function lockSession(client: PoolClient, input: { tenantId: string; sessionId: string }): Promise<{ channel: ChatChannel; handoff: Handoff; staffId: string | null; contact: ConversationSummary['contact'] } | null> {
  const { rows } = await client.query<{ channel: ChatChannel; handoff: Handoff; staffId: string | null; name: string | null; email: string | null; phone: string | null }>(
    `SELECT channel, handoff, handoff_staff_id AS "staffId", contact_name AS name, contact_email AS email, contact_phone AS phone
       FROM agent_sessions WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [input.tenantId, input.sessionId],
  );
  const row = rows[0];
  return row ? { channel: row.channel, handoff: row.handoff, staffId: row.staffId, contact: { name: row.name, email: row.email, phone: row.phone } } : null;
}

const staffIdPattern = /^[A-Za-z0-9_:.@-]{1,100}$/;

function checkActor(input: StaffActor): void {
  if (!staffIdPattern.test(input.staffId)) throw new AgentError('VALIDATION', 'staffId: must be 1–100 letters, digits or _:.@-', { field: 'staffId' });
  if (input.sessionId.length < 1 || input.sessionId.length > 200) throw new AgentError('VALIDATION', 'sessionId: must be 1–200 characters', { field: 'sessionId' });
}

function notHeld(input: StaffActor): AgentError {
  return new AgentError('CONVERSATION_NOT_HELD', `Conversation "${input.sessionId.slice(0, 40)}" is not held by staff member ${input.staffId}; take it over first`, { field: 'sessionId' });
}

// Cursor: the previous page's last `updated_at` (microseconds) and id, so a page never repeats or skips rows.
function decodeCursor(cursor: string | undefined): { at: string; id: string } | null {
  if (!cursor) return null;
  const [at, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || rest.length === 0 || Number.isNaN(Date.parse(at))) throw new AgentError('VALIDATION', 'before: is not a cursor the inbox returned', { field: 'before' });
  return { at, id: rest.join('|') };
}

/** Builds the desk over the agent's tables; every change is one transaction with its event and audit entry. */
export function createStaffDesk(options: { pool: Pool; clock?: Clock | undefined }): StaffDesk {
  const { pool } = options;
  const clock = options.clock ?? systemClock;
  const readCommitted = { isolation: 'read committed' } as const;

  async function audit(client: PoolClient, input: StaffActor & { channel: ChatChannel; action: string; reason: string; details?: Record<string, unknown> }): Promise<void> {
    await appendAudit(client, {
      tenantId: input.tenantId,
      actor: 'staff',
      channel: input.channel,
      action: input.action,
      outcome: 'succeeded',
      reason: input.reason,
      sessionId: input.sessionId,
      details: { staffId: input.staffId, ...input.details },
      occurredAt: clock.now(),
    });
  }

  return {
    async listConversations(input) {
      const limit = Math.min(Math.max(input.limit ?? 50, 1), 200);
      const after = decodeCursor(input.before);
      return withTenant(
        pool,
        input.tenantId,
        async (client) => {
          const { rows } = await client.query<SummaryRow & { cursorAt: string }>(
            `SELECT ${summaryColumns}, to_char(s.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt"
               FROM agent_sessions s ${lastMessageJoin}
              WHERE s.tenant_id = $1 AND ($2::text IS NULL OR s.handoff = $2)
                AND ($3::timestamptz IS NULL OR (s.updated_at, s.id) < ($3::timestamptz, $4::text))
              ORDER BY s.updated_at DESC, s.id DESC LIMIT $5`,
            [input.tenantId, input.handoff ?? null, after?.at ?? null, after?.id ?? null, limit + 1],
          );
          const page = rows.slice(0, limit);
          const last = page.at(-1);
          const nextCursor = rows.length > limit && last ? Buffer.from(`${last.cursorAt}|${last.sessionId}`).toString('base64url') : null;
          return { conversations: page.map(toSummary), nextCursor };
        },
        readCommitted,
      );
    },

    async readConversation(input) {
      const found = await withTenant(
        pool,
        input.tenantId,
        async (client) => {
          const summary = await readSummary(client, input);
          if (!summary) return null;
          const { rows } = await client.query<TranscriptMessage & { createdAt: Date }>(
            `SELECT id, role, content, tool_calls AS "toolCalls", tool_name AS "toolName", staff_id AS "staffId", created_at AS "createdAt"
               FROM agent_messages WHERE tenant_id = $1 AND session_id = $2 ORDER BY id LIMIT 2000`,
            [input.tenantId, input.sessionId],
          );
          return { summary, messages: rows.map((row) => ({ ...row, id: Number(row.id), createdAt: iso(row.createdAt)! })) };
        },
        readCommitted,
      );
      if (!found) return null;
      const decisions = await queryAudit(pool, { tenantId: input.tenantId, sessionId: input.sessionId, order: 'asc', limit: 1000 });
      return { ...found.summary, messages: found.messages, decisions: decisions.entries };
    },

    async takeOver(input) {
      checkActor(input);
      return withTenant(
        pool,
        input.tenantId,
        async (client) => {
          const session = await lockSession(client, input);
          if (!session) return null;
          if (session.handoff === 'staff' && session.staffId === input.staffId) return readSummary(client, input);
          await client.query(`UPDATE agent_sessions SET handoff = 'staff', handoff_staff_id = $3, handoff_at = $4, updated_at = $4 WHERE tenant_id = $1 AND id = $2`, [
            input.tenantId,
            input.sessionId,
            input.staffId,
            clock.now(),
          ]);
          await recordEvent(client, { tenantId: input.tenantId, type: 'conversation.taken_over', sessionId: input.sessionId, payload: { staffId: input.staffId, previous: session.handoff }, occurredAt: clock.now() });
          const from = session.handoff === 'staff' ? `from staff member ${session.staffId}` : session.handoff === 'needs_staff' ? 'waiting for staff' : 'from the receptionist';
          await audit(client, { ...input, channel: session.channel, action: 'conversation.take_over', reason: `staff took the conversation over (${from}); the receptionist stays silent`, details: { previous: session.handoff } });
          return readSummary(client, input);
        },
        readCommitted,
      );
    },

    async reply(input) {
      checkActor(input);
      const text = input.text.trim();
      if (text.length < 1 || text.length > 2000) throw new AgentError('VALIDATION', 'text: must be 1–2000 characters', { field: 'text' });
      return withTenant(
        pool,
        input.tenantId,
        async (client) => {
          const session = await lockSession(client, input);
          if (!session) return null;
          if (session.handoff !== 'staff' || session.staffId !== input.staffId) throw notHeld(input);
          const now = clock.now();
          const { rows } = await client.query<{ id: string }>(
            `INSERT INTO agent_messages (tenant_id, session_id, role, content, staff_id, created_at) VALUES ($1, $2, 'staff', $3, $4, $5) RETURNING id`,
            [input.tenantId, input.sessionId, text, input.staffId, now],
          );
          const messageId = Number(rows[0]!.id);
          await client.query('UPDATE agent_sessions SET updated_at = $3 WHERE tenant_id = $1 AND id = $2', [input.tenantId, input.sessionId, now]);
          // The words travel in the event so the widget's resumable stream can show them as they are.
          await recordEvent(client, { tenantId: input.tenantId, type: 'conversation.staff_replied', sessionId: input.sessionId, payload: { messageId, text, staffId: input.staffId }, occurredAt: now });
          await audit(client, { ...input, channel: session.channel, action: 'conversation.staff_reply', reason: `staff replied on ${session.channel}`, details: { messageId } });
          await input.deliver?.(client, { tenantId: input.tenantId, sessionId: input.sessionId, channel: session.channel, messageId, text, contact: session.contact });
          return { messageId };
        },
        readCommitted,
      );
    },

    async handBack(input) {
      checkActor(input);
      return withTenant(
        pool,
        input.tenantId,
        async (client) => {
          const session = await lockSession(client, input);
          if (!session) return null;
          if (session.handoff === 'ai') return readSummary(client, input);
          if (session.handoff === 'staff' && session.staffId !== input.staffId) throw notHeld(input);
          await client.query(
            `UPDATE agent_sessions SET handoff = 'ai', handoff_staff_id = NULL, handoff_reason = NULL, handoff_at = NULL, failure_streak = 0, updated_at = $3 WHERE tenant_id = $1 AND id = $2`,
            [input.tenantId, input.sessionId, clock.now()],
          );
          await recordEvent(client, { tenantId: input.tenantId, type: 'conversation.handed_back', sessionId: input.sessionId, payload: { staffId: input.staffId }, occurredAt: clock.now() });
          await audit(client, { ...input, channel: session.channel, action: 'conversation.hand_back', reason: 'staff handed the conversation back to the receptionist' });
          return readSummary(client, input);
        },
        readCommitted,
      );
    },
  };
}
