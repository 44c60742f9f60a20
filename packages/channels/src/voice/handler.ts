import { readTenant, siteUrlOf, systemClock, withTenant, readActiveHoldsOfSession, type PoolClient } from '@gomomo/core';
import { ChannelError, isChannelError } from '../errors.js';
import { enqueueOutboxMessage } from '../outbox/enqueue.js';
import { isTwilioSignatureValid, publicUrlOf } from '../sms/inbound/signature.js';
import { countLiveCalls, endCall, findTenantByVoiceNumber, readCall, recordUnroutedCall, startCall, type CallStatus, type VoiceCall } from './call-store.js';
import { isDialable, parseCallParams, type CallParams } from './call-params.js';
import { connectRelay, sayAndDial, sayAndGather, sayAndHangUp, sayOnly, toTextResponse } from './twiml.js';
import type { VoiceHandlerOptions, VoiceWebhookRequest, VoiceWebhookResponse } from './types.js';
import { disclosureOf } from './voice-settings.js';
import { runVoiceTurn, type VoiceOutcome, type VoiceTurnDeps } from './voice-turn.js';
import { createRelaySessions, type RelaySessions } from './relay.js';

/** The paths Twilio is given (relative to the public base URL). */
export const voicePaths = {
  incoming: '/twilio/voice',
  gather: '/twilio/voice/gather',
  status: '/twilio/voice/status',
  whisper: '/twilio/voice/whisper',
  dialDone: '/twilio/voice/dial-done',
  relay: '/twilio/voice/relay',
} as const;

const unroutedMessage = "Sorry, this number isn't set up to take calls right now. Please check the number and try again. Goodbye.";
const busyMessage = "Sorry, all our lines are busy right now. We'll text you a link so you can book by typing instead. Goodbye.";
/** ConversationRelay's `end` handoff data, as our relay wrote it. */
function readHandoff(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const parsed = JSON.parse(value) as { reason?: unknown };
    return typeof parsed.reason === 'string' ? parsed.reason : null;
  } catch {
    return null;
  }
}

const finalStatuses = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

export interface VoiceHandler {
  /** `POST /twilio/voice`: a call comes in. */
  incoming(request: VoiceWebhookRequest): Promise<VoiceWebhookResponse>;
  /** `POST /twilio/voice/gather`: one turn of the <Gather> transport (speech, keys or silence). */
  gather(request: VoiceWebhookRequest): Promise<VoiceWebhookResponse>;
  /** `POST /twilio/voice/status`: Twilio's call status callback (completed, busy, no-answer, failed). */
  status(request: VoiceWebhookRequest): Promise<VoiceWebhookResponse>;
  /** `POST /twilio/voice/whisper`: the one-line summary played to staff before a transfer connects. */
  whisper(request: VoiceWebhookRequest): Promise<VoiceWebhookResponse>;
  /**
   * `POST /twilio/voice/dial-done`: after a transfer's <Dial> (staff did not answer: take a message)
   * or after ConversationRelay ends with handoff data (a transfer or a goodbye).
   */
  dialDone(request: VoiceWebhookRequest): Promise<VoiceWebhookResponse>;
  /** The ConversationRelay WebSocket sessions (the server mounts them on `voicePaths.relay`). */
  relay: RelaySessions;
}

function checkOptions(options: VoiceHandlerOptions): void {
  if (!options.authToken) throw new ChannelError('CONFIGURATION', 'authToken: the Twilio auth token is required to check webhook signatures', { field: 'authToken' });
  if (!/^https?:\/\/[^/\s]+/i.test(options.publicBaseUrl ?? '')) {
    throw new ChannelError('CONFIGURATION', `publicBaseUrl: must be the absolute URL Twilio calls, like https://api.example.com, got ${JSON.stringify(options.publicBaseUrl)}`, { field: 'publicBaseUrl' });
  }
  const limit = options.maxConcurrentCalls;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 10_000)) {
    throw new ChannelError('CONFIGURATION', `maxConcurrentCalls: must be an integer from 1 to 10000, got ${limit}`, { field: 'maxConcurrentCalls' });
  }
}

/**
 * The voice channel, independent of any HTTP framework: Twilio's voice webhooks and the
 * ConversationRelay socket, both ending in one turn function (voice-turn.ts) over the same
 * receptionist, tools and policy as chat and SMS. Each request is signed (403 before anything is
 * read), parsed (400 naming the parameter), routed by the called number; all call state is in
 * Postgres, so any process can take any turn.
 */
export function createVoiceHandler(options: VoiceHandlerOptions): VoiceHandler {
  checkOptions(options);
  const clock = options.clock ?? systemClock;
  const transport = options.transport ?? 'gather';
  const maxConcurrentCalls = options.maxConcurrentCalls ?? 10;
  const deps: VoiceTurnDeps = { pool: options.pool, clock, receptionist: options.receptionist, minConfidence: options.minConfidence ?? 0.3, issueHandoffLink: options.issueHandoffLink, escalateToStaff: options.escalateToStaff };
  const url = (path: string): string => publicUrlOf(options.publicBaseUrl, path);
  const inTenant = <T>(tenantId: string, work: (client: PoolClient) => Promise<T>): Promise<T> => withTenant(options.pool, tenantId, work, { isolation: 'read committed' });

  /** Signature, then parameters: the common door of every webhook. */
  function admit(request: VoiceWebhookRequest): { params: CallParams } | { refused: VoiceWebhookResponse } {
    const body = request.body ?? {};
    if (!isTwilioSignatureValid({ authToken: options.authToken, publicBaseUrl: options.publicBaseUrl, url: request.url, headers: request.headers ?? {}, params: body })) {
      return { refused: toTextResponse(403, 'Forbidden: the X-Twilio-Signature header is missing or does not match this request') };
    }
    try {
      return { params: parseCallParams(body) };
    } catch (error) {
      if (isChannelError(error, 'VALIDATION')) return { refused: toTextResponse(400, `Bad request: ${error.message}`) };
      throw error;
    }
  }

  async function findCall(params: CallParams): Promise<VoiceCall | null> {
    const tenantId = await findTenantByVoiceNumber(options.pool, params.to);
    if (!tenantId) return null;
    return inTenant(tenantId, (client) => readCall(client, { tenantId, callSid: params.callSid }));
  }

  function toResponse(call: VoiceCall, outcome: VoiceOutcome): VoiceWebhookResponse {
    if (outcome.next === 'hangup') return sayAndHangUp(outcome.say);
    if (outcome.next === 'transfer') {
      return sayAndDial({ text: outcome.say, number: outcome.staffNumber, callerId: call.to, whisperUrl: url(voicePaths.whisper), action: url(voicePaths.dialDone) });
    }
    return sayAndGather({ text: outcome.say, action: url(voicePaths.gather), isMessage: outcome.isMessage });
  }

  async function refuseBusy(tenantId: string, params: CallParams): Promise<VoiceWebhookResponse> {
    await inTenant(tenantId, async (client) => {
      const started = await startCall(client, { tenantId, callSid: params.callSid, from: params.from, to: params.to, transport, status: 'busy_limit', attestation: params.attestation, at: clock.now() });
      if (!started?.isNew || !isDialable(params.from)) return;
      // A caller we cannot serve by voice can still book by typing: the tenant's booking page.
      const tenant = await readTenant(client, tenantId);
      const site = siteUrlOf(tenant.settings);
      if (!site) return;
      await enqueueOutboxMessage(client, {
        tenantId,
        channel: 'sms',
        template: 'sms_reply',
        recipient: params.from,
        body: `${tenant.name}: our lines were busy. You can book by typing here: ${site}`,
        idempotencyKey: `voice-busy:${params.callSid}`,
        sendAt: clock.now(),
      });
    });
    return sayAndHangUp(busyMessage);
  }

  async function incoming(request: VoiceWebhookRequest): Promise<VoiceWebhookResponse> {
    const admitted = admit(request);
    if ('refused' in admitted) return admitted.refused;
    const { params } = admitted;
    const at = clock.now();
    const tenantId = await findTenantByVoiceNumber(options.pool, params.to);
    if (!tenantId) {
      await recordUnroutedCall(options.pool, { to: params.to, from: params.from, callSid: params.callSid, at });
      return sayAndHangUp(unroutedMessage);
    }
    const known = await inTenant(tenantId, (client) => readCall(client, { tenantId, callSid: params.callSid }));
    if (!known && (await inTenant(tenantId, (client) => countLiveCalls(client, tenantId))) >= maxConcurrentCalls) return refuseBusy(tenantId, params);
    const { call, tenant } = await inTenant(tenantId, async (client) => ({
      call: (await startCall(client, { tenantId, callSid: params.callSid, from: params.from, to: params.to, transport, attestation: params.attestation, at }))?.call,
      tenant: await readTenant(client, tenantId),
    }));
    if (!call) return toTextResponse(409, `Conflict: CallSid: ${params.callSid} is a call to another number`);
    const disclosure = disclosureOf(tenant);
    if (call.transport === 'relay') return connectRelay({ url: url(voicePaths.relay).replace(/^http/, 'ws'), welcomeGreeting: disclosure, action: url(voicePaths.dialDone) });
    // A retried webhook for a call in progress: re-ask the last question rather than greet again.
    const say = call.state.lastPrompt ?? disclosure;
    if (!call.state.lastPrompt) await inTenant(tenantId, (client) => client.query('UPDATE voice_calls SET state = state || $3 WHERE tenant_id = $1 AND call_sid = $2', [tenantId, call.callSid, JSON.stringify({ lastPrompt: say })]));
    return sayAndGather({ text: say, action: url(voicePaths.gather) });
  }

  async function gather(request: VoiceWebhookRequest): Promise<VoiceWebhookResponse> {
    const admitted = admit(request);
    if ('refused' in admitted) return admitted.refused;
    const { params } = admitted;
    const call = await findCall(params);
    if (!call) return toTextResponse(404, `Not found: no call ${params.callSid} to ${params.to}; a call starts at ${voicePaths.incoming}`);
    if (call.status !== 'live') return sayAndHangUp('Goodbye.');
    const { outcome } = await runVoiceTurn(deps, call, { heard: { speech: params.speech, digits: params.digits, confidence: params.confidence } });
    return toResponse(call, outcome);
  }

  async function whisper(request: VoiceWebhookRequest): Promise<VoiceWebhookResponse> {
    const admitted = admit(request);
    if ('refused' in admitted) return admitted.refused;
    // The whisper request is about the staff leg; the caller's leg is its ParentCallSid.
    const parent = typeof request.body['ParentCallSid'] === 'string' ? request.body['ParentCallSid'] : admitted.params.callSid;
    const tenantId = await findTenantByVoiceNumber(options.pool, admitted.params.from);
    const call = tenantId ? await inTenant(tenantId, (client) => readCall(client, { tenantId, callSid: parent })) : null;
    return sayOnly(call?.state.whisper ?? 'A caller from the assistant, connecting now.');
  }

  async function dialDone(request: VoiceWebhookRequest): Promise<VoiceWebhookResponse> {
    const admitted = admit(request);
    if ('refused' in admitted) return admitted.refused;
    const call = await findCall(admitted.params);
    if (!call) return sayAndHangUp('Goodbye.');
    const handoff = readHandoff(request.body['HandoffData']);
    if (handoff === 'transfer' && call.state.staffNumber) {
      return sayAndDial({ text: '', number: call.state.staffNumber, callerId: call.to, whisperUrl: url(voicePaths.whisper), action: url(voicePaths.dialDone) });
    }
    const dialed = request.body['DialCallStatus'];
    // Only a call still in its transfer takes a message: a late or replayed dial-done must not
    // reopen a call Twilio already reported ended (it would count against the live-call limit).
    if (typeof dialed === 'string' && dialed !== 'completed' && (call.status === 'transferred' || call.status === 'live')) {
      // Staff did not pick up: the caller leaves a message instead of hearing nothing.
      await inTenant(call.tenantId, (client) =>
        client.query("UPDATE voice_calls SET status = 'live', state = state || $3 WHERE tenant_id = $1 AND call_sid = $2", [call.tenantId, call.callSid, JSON.stringify({ isTakingMessage: true })]),
      );
      return sayAndGather({ text: "Sorry, no one could pick up. Please say your message after this, and we'll call you back.", action: url(voicePaths.gather), isMessage: true });
    }
    return sayAndHangUp('Goodbye.');
  }

  async function status(request: VoiceWebhookRequest): Promise<VoiceWebhookResponse> {
    const admitted = admit(request);
    if ('refused' in admitted) return admitted.refused;
    const { params } = admitted;
    if (!finalStatuses.has(params.status)) return toTextResponse(200, 'ok');
    const call = await findCall(params);
    if (!call) return toTextResponse(200, 'ok: unknown call');
    const ended = call.status === 'live' || call.status === 'transferred' ? (params.status as Exclude<CallStatus, 'live'>) : call.status;
    await inTenant(call.tenantId, (client) => endCall(client, { tenantId: call.tenantId, callSid: call.callSid, status: ended as Exclude<CallStatus, 'live'>, durationSeconds: params.durationSeconds, at: clock.now() }));
    await releaseHolds(call);
    return toTextResponse(200, 'ok');
  }

  /**
   * A call that ended with a hold still live gives the slot back now, not when the hold lapses —
   * unless the caller was texted a link to finish by typing: Twilio reports the call completed
   * seconds after that hang-up, and the link (which lapses with the hold) must still find the slot.
   */
  async function releaseHolds(call: VoiceCall): Promise<void> {
    if (!options.engine || call.state.isTextHandoff) return;
    const holds = await inTenant(call.tenantId, (client) => readActiveHoldsOfSession(client, { tenantId: call.tenantId, sessionId: call.sessionId }));
    for (const hold of holds) {
      await options.engine.releaseHold({ tenantId: call.tenantId, holdId: hold.id, sessionId: call.sessionId }).catch((error: unknown) => options.onError?.(error, { tenantId: call.tenantId, callSid: call.callSid }));
    }
  }

  const relay = createRelaySessions({
    deps,
    authToken: options.authToken,
    relayUrl: url(voicePaths.relay).replace(/^http/, 'ws'),
    findTenant: (number) => findTenantByVoiceNumber(options.pool, number),
    watchTakeOver: options.watchTakeOver,
    onError: options.onError,
  });

  return { incoming, gather, status, whisper, dialDone, relay };
}
