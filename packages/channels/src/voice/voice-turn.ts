import type { TurnEvent } from '@gomomo/contracts';
import { readOpeningHours, readTenant, withTenant, type Clock, type Pool, type PoolClient } from '@gomomo/core';
import { appendAudit, redactText } from '@gomomo/policy';
import { enqueueOutboxMessage } from '../outbox/enqueue.js';
import { lockCall, readTurnsAfter, saveTurn, type CallState, type CallStatus, type NewTurn, type VoiceCall } from './call-store.js';
import { isCallerVouched, isDialable } from './call-params.js';
import { formatForEar } from './ear.js';
import {
  askMorningOrEvening,
  asksForConsent,
  asksForPerson,
  asksForTextLink,
  confirmKeys,
  consentWordsOf,
  findAmbiguousTime,
  readMorningOrEvening,
  resolveTime,
  spokenPick,
} from './manners.js';
import type { VoiceEscalation, VoiceReceptionist } from './types.js';
import { isOpenAt, nextOpeningSpoken, readVoiceSettings } from './voice-settings.js';

/** What the caller said (or pressed) this turn. */
export interface Heard {
  speech: string;
  digits: string;
  confidence?: number | undefined;
}

/** What the transport does next after speaking `say`. */
export type VoiceOutcome =
  | { next: 'listen'; say: string; isMessage?: boolean | undefined }
  | { next: 'hangup'; say: string }
  | { next: 'transfer'; say: string; staffNumber: string; whisper: string };

export interface VoiceTurnDeps {
  pool: Pool;
  clock: Clock;
  receptionist: VoiceReceptionist;
  minConfidence: number;
  issueHandoffLink?: ((input: { tenantId: string; sessionId: string }) => Promise<string | null>) | undefined;
  escalateToStaff?: ((client: PoolClient, input: VoiceEscalation) => Promise<void>) | undefined;
}

/** A turn's outcome, and the call as this turn left it (null: another delivery had stored this turn). */
export interface VoiceTurnResult {
  outcome: VoiceOutcome;
  call: VoiceCall | null;
}

/** Streaming hooks of the relay transport: checked pieces of the reply as they come, and the interruption. */
export interface VoiceTurnStream {
  onText?: ((spoken: string) => void) | undefined;
  signal?: AbortSignal | undefined;
}

const maxRePrompts = 2;
const handoffOffer = 'I can text you a link so you can finish by typing, or connect you with our team. Press 1 for a text, or 2 for a person.';

function inTenant<T>(deps: VoiceTurnDeps, tenantId: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return withTenant(deps.pool, tenantId, work, { isolation: 'read committed' });
}

/** The outcome and what the turn changed, ready to store. */
interface Decided {
  outcome: VoiceOutcome;
  state: CallState;
  input: NewTurn['input'];
  heard: string;
  events?: TurnEvent[] | undefined;
  status?: CallStatus | undefined;
  /** What the turn changes beyond the call, committed with the turn's record and only once per turn. */
  commit?: ((client: PoolClient) => Promise<void>) | undefined;
}

/**
 * One turn of a call, whatever the transport: the channel's own manners first (silence, a
 * mishearing, "at 7", a person, a text link, keys after a read-back), then the receptionist, then
 * the reply written for the ear. The turn and the call's state are stored together at the end, so
 * the next turn may land on any process.
 */
export async function runVoiceTurn(deps: VoiceTurnDeps, call: VoiceCall, turn: { heard: Heard; stream?: VoiceTurnStream | undefined }): Promise<VoiceTurnResult> {
  const { heard } = turn;
  const started = performance.now();
  const decided = await decide(deps, call, { heard, stream: turn.stream ?? {} });
  const latencyMs = performance.now() - started;
  const toolEvents = (decided.events ?? []).filter((event) => event.type !== 'text' && event.type !== 'status');
  const isStored = await inTenant(deps, call.tenantId, async (client) => {
    // Twilio retries a webhook it got no answer to (same call, same turn): the call's row, locked,
    // says whether this turn is stored already. Only the first delivery stores it and its effects.
    const locked = await lockCall(client, call);
    if (!locked || locked.turnCount !== call.turnCount) return false;
    await decided.commit?.(client);
    await saveTurn(client, {
      call,
      state: decided.state,
      turn: { input: decided.input, heard: decided.heard, confidence: heard.confidence, said: decided.outcome.say, toolEvents, latencyMs },
      at: deps.clock.now(),
      status: decided.status,
    });
    return true;
  });
  const after = isStored ? { ...call, state: decided.state, turnCount: call.turnCount + 1, status: decided.status ?? call.status } : null;
  return { outcome: decided.outcome, call: after };
}

async function decide(deps: VoiceTurnDeps, call: VoiceCall, turn: { heard: Heard; stream: VoiceTurnStream }): Promise<Decided> {
  const { heard, stream } = turn;
  const state: CallState = { ...call.state };
  const speech = heard.speech.trim();
  const input: NewTurn['input'] = heard.digits ? 'dtmf' : speech ? 'speech' : 'none';
  const base = { input, heard: heard.digits ? `${speech}${speech ? ' ' : ''}[${heard.digits}]` : speech };

  if (state.isTakingMessage) return { ...base, ...(await takeMessage(deps, call, { message: speech || heard.digits, state })), state: { ...state, isTakingMessage: false } };

  const isMisheard = !heard.digits && speech !== '' && heard.confidence !== undefined && heard.confidence < deps.minConfidence;
  if (input === 'none' || isMisheard) return { ...base, ...(await onFailure(deps, call, { state, isMisheard })) };

  if (state.isOfferingHandoff) {
    state.isOfferingHandoff = false;
    if (heard.digits === '1' || asksForTextLink(speech)) return { ...base, ...(await textLink(deps, call, state)) };
    if (heard.digits === '2' || asksForPerson(speech)) return { ...base, ...(await toPerson(deps, call, state)) };
  }
  if (asksForPerson(speech)) return { ...base, ...(await toPerson(deps, call, state)) };
  if (asksForTextLink(speech)) return { ...base, ...(await textLink(deps, call, state)) };

  let text = speech;
  if (state.pendingTime) {
    const pending = state.pendingTime;
    const meridiem = readMorningOrEvening({ text: speech, digits: heard.digits });
    if (meridiem) {
      text = resolveTime(pending.text, pending, meridiem);
      state.pendingTime = undefined;
    } else if (pending.asked < maxRePrompts) {
      state.pendingTime = { ...pending, asked: pending.asked + 1 };
      return { ...base, state, outcome: { next: 'listen', say: `Sorry, I didn't catch that. ${askMorningOrEvening(pending)}` } };
    } else {
      state.pendingTime = undefined;
    }
  } else if (heard.digits) {
    // After a read-back the keys answer it (1 yes, 2 no); anywhere else a key picks an option.
    text = (state.isAwaitingConsent ? consentWordsOf(heard.digits) : null) ?? heard.digits;
  } else {
    text = spokenPick(speech) ?? speech;
  }

  const ambiguous = findAmbiguousTime(text);
  if (ambiguous) {
    state.pendingTime = { text, ...ambiguous, asked: 0 };
    return { ...base, state, outcome: { next: 'listen', say: askMorningOrEvening(ambiguous) } };
  }
  return { ...base, ...(await converse(deps, call, { state, text, stream })) };
}

async function converse(deps: VoiceTurnDeps, call: VoiceCall, turn: { state: CallState; text: string; stream: VoiceTurnStream }): Promise<Omit<Decided, 'input' | 'heard'>> {
  const { state, stream } = turn;
  const result = await deps.receptionist.handleTurn({
    tenantId: call.tenantId,
    sessionId: call.sessionId,
    channel: 'voice',
    text: turn.text,
    // The caller ID proves who is calling only when the carrier attested it in full (STIR/SHAKEN A,
    // from the signed first webhook, stored on the call); anyone can fake one otherwise. Unlike an
    // SMS sender's number (issue 20: proven; a spoofed long code rarely reaches Twilio's inbound SMS),
    // an unattested caller ID is only offered as the contact for a new booking, and looking up,
    // moving or cancelling needs the code sent to the booking's own contact. A withheld one is neither.
    ...(isCallerVouched(call) ? { verifiedContact: { phone: call.from } } : isDialable(call.from) ? { offeredContact: { phone: call.from } } : {}),
    onEvent: stream.onText
      ? (event) => {
          if (event.type === 'text' && !stream.signal?.aborted) stream.onText!(formatForEar(event.delta));
        }
      : undefined,
    signal: stream.signal,
  });
  const isConsent = asksForConsent(result.reply);
  const say = `${formatForEar(result.reply)}${isConsent ? ` ${confirmKeys}` : ''}`;
  const next: CallState = { ...state, isAwaitingConsent: isConsent, lastPrompt: say, failures: 0, receptionistTurn: call.turnCount + 1 };
  // No SMS of our own after a booking: the booking's event makes autonomy send the one confirmation
  // (and reschedule notice) with the reference to the appointment's phone, which is the caller ID here.
  return { state: next, events: result.events, outcome: { next: 'listen', say } };
}

async function onFailure(deps: VoiceTurnDeps, call: VoiceCall, failed: { state: CallState; isMisheard: boolean }): Promise<Omit<Decided, 'input' | 'heard'>> {
  const { state, isMisheard } = failed;
  const failures = (state.failures ?? 0) + 1;
  const next: CallState = { ...state, failures };
  if (failures <= maxRePrompts) {
    const sorry = isMisheard ? "Sorry, I didn't understand that." : "Sorry, I didn't catch that.";
    return { state: next, outcome: { next: 'listen', say: `${sorry} ${state.lastPrompt ?? 'How can I help you today?'}` } };
  }
  if (!state.isOfferingHandoff) return { state: { ...next, isOfferingHandoff: true }, outcome: { next: 'listen', say: handoffOffer } };
  // Still nothing after the offer: the text link, if we can send one, keeps the conversation alive.
  return textLink(deps, call, next);
}

async function textLink(deps: VoiceTurnDeps, call: VoiceCall, state: CallState): Promise<Omit<Decided, 'input' | 'heard'>> {
  const link = isDialable(call.from) && deps.issueHandoffLink ? await deps.issueHandoffLink({ tenantId: call.tenantId, sessionId: call.sessionId }) : null;
  if (!link) return toPerson(deps, call, state);
  await inTenant(deps, call.tenantId, async (client) => {
    const tenant = await readTenant(client, call.tenantId);
    await enqueueOutboxMessage(client, {
      tenantId: call.tenantId,
      channel: 'sms',
      template: 'sms_reply',
      recipient: call.from,
      body: `${tenant.name}: finish your request by typing here: ${link} (single use, expires soon).`,
      idempotencyKey: `voice-link:${call.callSid}:${state.failures ?? 0}:${call.turnCount}`,
      sendAt: deps.clock.now(),
    });
  });
  return { state: { ...state, isTextHandoff: true }, status: 'completed', outcome: { next: 'hangup', say: "I've texted you a link. Open it to carry on where we left off, by typing. Goodbye!" } };
}

async function toPerson(deps: VoiceTurnDeps, call: VoiceCall, state: CallState): Promise<Omit<Decided, 'input' | 'heard'>> {
  const now = deps.clock.now();
  const { tenant, hours } = await inTenant(deps, call.tenantId, async (client) => ({ tenant: await readTenant(client, call.tenantId), hours: await readOpeningHours(client, call.tenantId) }));
  const { staffNumber } = readVoiceSettings(tenant);
  if (staffNumber && isOpenAt(hours, { now, timeZone: tenant.timeZone })) {
    const whisper = `Call from ${tenant.name}'s assistant. ${state.lastPrompt ? `Last thing the assistant said: ${state.lastPrompt}` : 'The caller asked for a person.'}`.slice(0, 400);
    return { state: { ...state, whisper, staffNumber }, status: 'transferred', outcome: { next: 'transfer', say: 'Sure, connecting you to our team now.', staffNumber, whisper } };
  }
  const when = nextOpeningSpoken(hours, { now, timeZone: tenant.timeZone });
  return {
    state: { ...state, isTakingMessage: true },
    outcome: { next: 'listen', isMessage: true, say: `Our team isn't available right now. Please say your message after this, and someone will call you back${when ? ` ${when}` : ' as soon as we open'}.` },
  };
}

/**
 * A message left for staff (outside hours, or when no one picked up) becomes a staff escalation:
 * the conversation is handed to staff through the agent's hand-off (inbox badge, on-duty
 * notification) with the call's lines it lacks and the message; an audit entry `staff.escalate`
 * (the words redacted like chat) records it; the caller hears when someone will call back.
 */
async function takeMessage(deps: VoiceTurnDeps, call: VoiceCall, taken: { message: string; state: CallState }): Promise<Pick<Decided, 'outcome' | 'status' | 'commit'>> {
  const { message, state } = taken;
  const now = deps.clock.now();
  const { hours, tenant, turns } = await inTenant(deps, call.tenantId, async (client) => ({
    hours: await readOpeningHours(client, call.tenantId),
    tenant: await readTenant(client, call.tenantId),
    turns: await readTurnsAfter(client, { tenantId: call.tenantId, callSid: call.callSid, afterSeq: state.receptionistTurn ?? 0 }),
  }));
  const lines = turns.flatMap((turn) => [
    { role: 'user' as const, content: turn.heard },
    { role: 'assistant' as const, content: turn.said },
  ]);
  // The audit entry and the hand-off commit with the turn that took the message, once per turn.
  const commit = async (client: PoolClient): Promise<void> => {
    await appendAudit(client, {
      tenantId: call.tenantId,
      actor: 'customer',
      channel: 'voice',
      action: 'staff.escalate',
      outcome: 'succeeded',
      reason: 'voice message taken for staff',
      sessionId: call.sessionId,
      subjectId: call.callSid,
      details: { kind: 'voice_message', message: redactText(message.slice(0, 1000)) },
      occurredAt: now,
    });
    await deps.escalateToStaff?.(client, {
      tenantId: call.tenantId,
      sessionId: call.sessionId,
      reason: (state.failures ?? 0) > maxRePrompts ? 'failures' : 'asked',
      phone: isDialable(call.from) ? call.from : undefined,
      messages: [...lines, { role: 'user', content: `Message for staff: ${message}` }],
    });
  };
  const when = nextOpeningSpoken(hours, { now, timeZone: tenant.timeZone });
  const callBack = isOpenAt(hours, { now, timeZone: tenant.timeZone }) ? 'as soon as they can' : when ? when : 'as soon as we open';
  return { status: 'completed', commit, outcome: { next: 'hangup', say: `Thank you, I've passed your message on. Someone will call you back ${callBack}. Goodbye!` } };
}
