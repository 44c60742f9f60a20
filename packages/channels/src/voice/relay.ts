// ConversationRelay (https://www.twilio.com/docs/voice/conversationrelay/websocket-messages): Twilio
// does speech-to-text and text-to-speech and talks to us in JSON over a WebSocket. In: setup,
// prompt, dtmf, interrupt, error. Out: text tokens (`last` ends a reply) and end (with handoff data).
import { withTenant } from '@gomomo/core';
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { z } from 'zod';
import { readCall, type VoiceCall } from './call-store.js';
import { parseCallSid } from './call-params.js';
import { confirmKeys } from './manners.js';
import type { VoiceHandlerOptions } from './types.js';
import { runVoiceTurn, type Heard, type VoiceTurnDeps } from './voice-turn.js';

/** The socket as the relay needs it (a `ws` WebSocket fits). */
export interface RelaySocket {
  send(text: string): void;
  close(code?: number, reason?: string): void;
}

/** One open relay connection. */
export interface RelayConnection {
  onMessage(raw: string): Promise<void>;
  /** The socket closed: stop the turn in flight from sending. */
  onClose(): void;
}

export interface RelaySessions {
  /** Checks the handshake's X-Twilio-Signature (the relay URL, no parameters), as Twilio signs it. */
  isHandshakeValid(headers: Record<string, string | string[] | undefined>): boolean;
  open(socket: RelaySocket): RelayConnection;
}

const messageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('setup'), callSid: z.string(), from: z.string().max(32), to: z.string().max(32) }),
  z.object({ type: z.literal('prompt'), voicePrompt: z.string(), last: z.boolean().default(true) }),
  z.object({ type: z.literal('dtmf'), digit: z.string().regex(/^[0-9*#]$/) }),
  z.object({ type: z.literal('interrupt'), utteranceUntilInterrupt: z.string().default('') }),
  z.object({ type: z.literal('error'), description: z.string().default('') }),
]);

/** The receptionist's limit on one message (and the <Gather> path's on SpeechResult). */
const maxPromptLength = 4000;
const tooLong = 'Sorry, that was a lot at once. Could you tell me in a few words what you need?';

/** The abort reason of a turn whose conversation staff took over (an interruption has none). */
const takenOver = 'taken-over';

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The relay transport. State lives in voice_calls like the <Gather> path's: when the socket drops
 * (a deploy, a crash), Twilio's reconnect can land on another process and its `setup` finds the
 * same call and conversation. Between turns the socket keeps the call in memory (read once at
 * `setup`, updated by each stored turn), so a turn does not read it again. Reply pieces go out as
 * the receptionist writes them (`text` events, `last: false`), and the reply ends with `last: true`;
 * an `interrupt` (or a staff take-over) aborts the turn's signal so nothing more of it is sent.
 */
export function createRelaySessions(input: {
  deps: VoiceTurnDeps;
  authToken: string;
  relayUrl: string;
  findTenant: (number: string) => Promise<string | null>;
  watchTakeOver?: VoiceHandlerOptions['watchTakeOver'];
  onError?: ((error: unknown, context: { tenantId?: string | undefined; callSid?: string | undefined }) => void) | undefined;
}): RelaySessions {
  const { deps } = input;
  return {
    isHandshakeValid(headers) {
      const signature = header(headers, 'x-twilio-signature');
      return Boolean(signature) && validateRequest(input.authToken, signature!, input.relayUrl, {});
    },
    open(socket) {
      let call: VoiceCall | null = null;
      let current: AbortController | null = null;
      let queue: Promise<void> = Promise.resolve();
      let isClosed = false;
      const watching = new AbortController();
      let isSetUp = false;
      const send = (message: Record<string, unknown>): void => {
        if (!isClosed) socket.send(JSON.stringify(message));
      };

      async function setup(message: { callSid: string; from: string; to: string }): Promise<void> {
        // Twilio sends one setup per socket: a second one must not move the socket to another call.
        if (isSetUp) return;
        isSetUp = true;
        const callSid = parseCallSid(message.callSid);
        const tenantId = await input.findTenant(message.to);
        if (!tenantId) {
          send({ type: 'text', token: "Sorry, this number isn't set up to take calls. Goodbye.", last: true });
          send({ type: 'end', handoffData: JSON.stringify({ reason: 'unrouted' }) });
          return;
        }
        // Only the handshake is signed, and its signature covers the URL alone: the setup's SID, From
        // and To are the caller's word. So a socket may only join a live call the signed webhook
        // that answered with <ConversationRelay> recorded, to this number from this caller — as
        // Twilio's own setup (or its reconnect after a drop) always is. For the same reason the caller
        // ID's attestation is the call row's (from that signed webhook), never anything in the setup
        // (its customParameters are ours to set and anyone's to forge).
        const known = await withTenant(deps.pool, tenantId, (client) => readCall(client, { tenantId, callSid }), { isolation: 'read committed' });
        if (!known || known.to !== message.to || known.from !== message.from || known.status !== 'live') {
          send({ type: 'end', handoffData: JSON.stringify({ reason: 'unknown-call' }) });
          return;
        }
        call = known;
        // A staff member who takes the conversation over silences the reply being spoken: its turn
        // is dropped from the record when saved, and the caller must not hear the rest of it either.
        input.watchTakeOver?.({ tenantId, sessionId: call.sessionId, signal: watching.signal }, () => current?.abort(takenOver));
      }

      async function turn(heard: Heard): Promise<void> {
        if (!call || call.status !== 'live') return;
        const controller = new AbortController();
        current = controller;
        let streamed = 0;
        const stream = {
          signal: controller.signal,
          onText: (spoken: string) => {
            if (controller.signal.aborted || spoken === '') return;
            streamed += 1;
            send({ type: 'text', token: `${spoken} `, last: false });
          },
        };
        const before: VoiceCall = { ...call, transport: 'relay' };
        const { outcome, call: after } = await runVoiceTurn(deps, before, { heard, stream });
        // The socket's copy of the call is the truth between turns: only this socket takes its turns,
        // and a reconnect (any process) starts from the row at `setup`. Should another socket have
        // stored a turn meanwhile (a reconnect while this one lingered), the lock saw it: read again.
        call = after ?? (await withTenant(deps.pool, before.tenantId, (client) => readCall(client, before), { isolation: 'read committed' }));
        if (current === controller) current = null;
        // Taken over: the reply ends here (Twilio waits for `last`). Interrupted: Twilio ended it.
        if (controller.signal.reason === takenOver) send({ type: 'text', token: '', last: true });
        if (controller.signal.aborted) return;
        // Offline brains write no pieces: the whole reply goes at once. After pieces, only what the
        // channel added (the keys to press) is left to say.
        const rest = streamed === 0 ? outcome.say : outcome.say.endsWith(confirmKeys) ? confirmKeys : '';
        send({ type: 'text', token: rest, last: true });
        if (outcome.next === 'hangup') send({ type: 'end', handoffData: JSON.stringify({ reason: 'done' }) });
        if (outcome.next === 'transfer') send({ type: 'end', handoffData: JSON.stringify({ reason: 'transfer', callSid: before.callSid }) });
      }

      function enqueue(work: () => Promise<void>): Promise<void> {
        queue = queue.then(work).catch((error: unknown) => {
          input.onError?.(error, { tenantId: call?.tenantId, callSid: call?.callSid });
          send({ type: 'text', token: 'Sorry, something went wrong on our side. Please try again.', last: true });
        });
        return queue;
      }

      return {
        async onMessage(raw) {
          let parsed: z.infer<typeof messageSchema>;
          try {
            parsed = messageSchema.parse(JSON.parse(raw));
          } catch {
            // Unknown message types are Twilio's to add; a malformed one is not worth the call.
            return;
          }
          switch (parsed.type) {
            case 'setup':
              return enqueue(() => setup(parsed));
            case 'prompt':
              if (!parsed.last) return;
              // Dropping an over-long prompt would leave the caller in silence: ask again instead.
              if (parsed.voicePrompt.length > maxPromptLength) return enqueue(async () => send({ type: 'text', token: tooLong, last: true }));
              return enqueue(() => turn({ speech: parsed.voicePrompt, digits: '' }));
            case 'dtmf':
              return enqueue(() => turn({ speech: '', digits: parsed.digit }));
            case 'interrupt':
              // Only the words not yet sent are dropped: a tool that ran stays done.
              current?.abort();
              return;
            case 'error':
              input.onError?.(new Error(`ConversationRelay error: ${parsed.description}`), { tenantId: call?.tenantId, callSid: call?.callSid });
              return;
          }
        },
        onClose() {
          isClosed = true;
          watching.abort();
          current?.abort();
        },
      };
    },
  };
}
