import { randomBytes } from 'node:crypto';
import type { PoolClient } from '@gomomo/core';
import { pseudonymOf } from '@gomomo/policy';

type Queryable = Pick<PoolClient, 'query'>;

/** What the channel remembers between turns of a call (voice_calls.state). */
export interface CallState {
  /** The last thing we asked, re-asked after silence. */
  lastPrompt?: string | undefined;
  /** The last reply was a read-back waiting for a yes (keys 1 and 2 answer it). */
  isAwaitingConsent?: boolean | undefined;
  /** An "at 7" waiting for morning or evening: the caller's words and the time in them. */
  pendingTime?: { text: string; hour: number; minute: number; said: string; asked: number } | undefined;
  /** Silences and misheard turns in a row. */
  failures?: number | undefined;
  /** After repeated failures we offered: 1 for a text link, 2 for a person. */
  isOfferingHandoff?: boolean | undefined;
  /** Taking an out-of-hours message: the next thing heard is the message. */
  isTakingMessage?: boolean | undefined;
  /** The one-line summary whispered to staff on a transfer. */
  whisper?: string | undefined;
  /** The last turn (seq) the receptionist answered: later turns are the channel's own, not in the conversation. */
  receptionistTurn?: number | undefined;
  /** The caller was texted a link to finish by typing: the call's hold is the link's now. */
  isTextHandoff?: boolean | undefined;
  /** Where a relay call is transferred once ConversationRelay hands it back. */
  staffNumber?: string | undefined;
}

export type CallTransport = 'gather' | 'relay';
export type CallStatus = 'live' | 'transferred' | 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled' | 'busy_limit';

/** A call as stored. */
export interface VoiceCall {
  tenantId: string;
  callSid: string;
  from: string;
  to: string;
  sessionId: string;
  transport: CallTransport;
  status: CallStatus;
  state: CallState;
  turnCount: number;
  startedAt: Date;
  /** Twilio's `StirVerstat` from the signed initial webhook, or null (see `isCallerVouched`). */
  attestation: string | null;
}

const columns = `tenant_id AS "tenantId", call_sid AS "callSid", from_number AS "from", to_number AS "to", session_id AS "sessionId",
  transport, status, state, turn_count AS "turnCount", started_at AS "startedAt", caller_attestation AS "attestation"`;

/**
 * Records a call, or returns the one already recorded (Twilio retried the webhook): the first insert
 * wins, the conversation stays the same. Null when the SID is another tenant's call (a SID is
 * globally unique, so a request pairing it with this tenant's number is forged or misrouted). The
 * caller ID's attestation is kept from the first insert too: a retry cannot change it.
 */
export async function startCall(
  client: Queryable,
  input: { tenantId: string; callSid: string; from: string; to: string; transport: CallTransport; status?: CallStatus; attestation?: string | undefined; at: Date },
): Promise<{ call: VoiceCall; isNew: boolean } | null> {
  const sessionId = `voice_${randomBytes(16).toString('hex')}`;
  const inserted = await client.query<VoiceCall>(
    `INSERT INTO voice_calls (tenant_id, call_sid, from_number, to_number, session_id, transport, status, started_at, caller_attestation)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING ${columns}`,
    [input.tenantId, input.callSid, input.from.slice(0, 32), input.to, sessionId, input.transport, input.status ?? 'live', input.at, input.attestation || null],
  );
  if (inserted.rows[0]) return { call: inserted.rows[0], isNew: true };
  const found = await readCall(client, input);
  return found ? { call: found, isNew: false } : null;
}

/** The tenant's call with this SID, or null. */
export async function readCall(client: Queryable, input: { tenantId: string; callSid: string }): Promise<VoiceCall | null> {
  const { rows } = await client.query<VoiceCall>(`SELECT ${columns} FROM voice_calls WHERE tenant_id = $1 AND call_sid = $2`, [input.tenantId, input.callSid]);
  return rows[0] ?? null;
}

/** Locks the call's row for one turn, so two deliveries of one turn (a retry, a reconnect) run one after the other. */
export async function lockCall(client: Queryable, input: { tenantId: string; callSid: string }): Promise<VoiceCall | null> {
  const { rows } = await client.query<VoiceCall>(`SELECT ${columns} FROM voice_calls WHERE tenant_id = $1 AND call_sid = $2 FOR UPDATE`, [input.tenantId, input.callSid]);
  return rows[0] ?? null;
}

/** Live calls of the tenant (for the concurrent call limit). */
export async function countLiveCalls(client: Queryable, tenantId: string): Promise<number> {
  const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM voice_calls WHERE tenant_id = $1 AND status = 'live'", [tenantId]);
  return rows[0]!.n;
}

export interface NewTurn {
  input: 'speech' | 'dtmf' | 'none' | 'system';
  heard: string;
  confidence?: number | undefined;
  said: string;
  toolEvents: unknown[];
  latencyMs: number;
}

/**
 * Stores a turn and the call's state after it, in the caller's transaction: one statement (the
 * call's update numbers the turn it inserts), as this runs on every turn of every call.
 */
export async function saveTurn(client: Queryable, input: { call: VoiceCall; state: CallState; turn: NewTurn; at: Date; status?: CallStatus | undefined }): Promise<number> {
  const { rows } = await client.query<{ seq: number }>(
    `WITH call AS (
       UPDATE voice_calls SET state = $3, turn_count = turn_count + 1, transport = $4, status = COALESCE($5, status)
        WHERE tenant_id = $1 AND call_sid = $2 RETURNING tenant_id, call_sid, turn_count)
     INSERT INTO voice_turns (tenant_id, call_sid, seq, input, heard, confidence, said, tool_events, latency_ms, created_at)
     SELECT tenant_id, call_sid, turn_count, $6, $7, $8, $9, $10, $11, $12 FROM call RETURNING seq`,
    [
      input.call.tenantId,
      input.call.callSid,
      JSON.stringify(input.state),
      input.call.transport,
      input.status ?? null,
      input.turn.input,
      input.turn.heard.slice(0, 4000),
      input.turn.confidence ?? null,
      input.turn.said.slice(0, 8000),
      JSON.stringify(input.turn.toolEvents),
      Math.max(0, Math.round(input.turn.latencyMs)),
      input.at,
    ],
  );
  return rows[0]!.seq;
}

/** The call's turns after `afterSeq`, oldest first: what was heard and what was said. */
export async function readTurnsAfter(client: Queryable, input: { tenantId: string; callSid: string; afterSeq: number }): Promise<Array<{ heard: string; said: string }>> {
  const { rows } = await client.query<{ heard: string; said: string }>('SELECT heard, said FROM voice_turns WHERE tenant_id = $1 AND call_sid = $2 AND seq > $3 ORDER BY seq LIMIT 50', [
    input.tenantId,
    input.callSid,
    input.afterSeq,
  ]);
  return rows;
}

/** Ends a call with Twilio's final status, once: returns false when it had already ended. */
export async function endCall(client: Queryable, input: { tenantId: string; callSid: string; status: Exclude<CallStatus, 'live'>; durationSeconds?: number | undefined; at: Date }): Promise<boolean> {
  const { rowCount } = await client.query(
    `UPDATE voice_calls SET status = $3, duration_seconds = COALESCE($4, duration_seconds), ended_at = COALESCE(ended_at, $5)
      WHERE tenant_id = $1 AND call_sid = $2 AND ended_at IS NULL`,
    [input.tenantId, input.callSid, input.status, input.durationSeconds ?? null, input.at],
  );
  return rowCount === 1;
}

/** Which tenant takes calls on `number` (owner role, across tenants, one indexed row). */
export async function findTenantByVoiceNumber(pool: Queryable, number: string): Promise<string | null> {
  const { rows } = await pool.query<{ tenant_id: string }>("SELECT tenant_id FROM phone_numbers WHERE number = $1 AND is_active AND 'voice' = ANY (capabilities)", [number]);
  return rows[0]?.tenant_id ?? null;
}

/** The operator's record of a call to a number no tenant takes calls on; the caller only as a keyed pseudonym. */
export async function recordUnroutedCall(pool: Queryable, input: { to: string; from: string; callSid: string; at: Date }): Promise<void> {
  await pool.query('INSERT INTO voice_calls_unrouted (to_number, from_ref, call_sid, received_at) VALUES ($1, $2, $3, $4)', [
    input.to.slice(0, 32),
    pseudonymOf('unrouted-call', input.from),
    input.callSid.slice(0, 64),
    input.at,
  ]);
}
