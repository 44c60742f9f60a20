import formbody from '@fastify/formbody';
import { escalateToStaffIn } from '@gomomo/agent';
import websocket from '@fastify/websocket';
import { createInboundSmsHandler, createVoiceHandler, handlePostmarkWebhook, handleTwilioStatusCallback, publicUrlOf, voicePaths, type SmsReplyMode, type VoiceHandler, type VoiceWebhookResponse } from '@gomomo/channels';
import { systemClock, type BookingEngine, type Clock, type Pool } from '@gomomo/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { EventHub } from '../push/event-hub.js';
import type { Receptionist } from '../trpc/receptionist.js';

/** Twilio's webhooks: inbound SMS (`POST /twilio/sms`) and delivery status callbacks (`POST /twilio/status`). */
export interface TwilioWebhookOptions {
  /** The account's auth token, which signs every webhook (X-Twilio-Signature). */
  authToken: string;
  /** How an inbound SMS is answered (channels' `SmsReplyMode`; default `auto`). */
  replyMode?: SmsReplyMode;
  /** `auto` mode's deadline before the reply goes through the outbox instead (default 10 s). */
  replyTimeoutMs?: number;
  /** Voice calls (`POST /twilio/voice` and its turns, status callbacks and the ConversationRelay socket); absent: no voice routes. */
  voice?: VoiceWebhookOptions | undefined;
}

/** How the phone is answered (channels' voice handler). */
export interface VoiceWebhookOptions {
  /** `relay` when the Twilio account has ConversationRelay; default `gather`. */
  transport?: 'gather' | 'relay' | undefined;
  /** Live calls per tenant before callers hear a busy message (default 10). */
  maxConcurrentCalls?: number | undefined;
  /** Issues the "text me a link" handoff (single-use, expiring); absent: callers are offered a person instead. */
  issueHandoffLink?: ((input: { tenantId: string; sessionId: string }) => Promise<string | null>) | undefined;
}

/** Postmark's delivery, bounce and spam-complaint webhook (`POST /postmark/webhook`), Basic auth. */
export interface PostmarkWebhookOptions {
  username: string;
  password: string;
}

export interface ChannelWebhooksOptions {
  pool: Pool;
  /** Releases the live holds of a call that dropped (voice status callbacks). */
  engine?: BookingEngine | undefined;
  receptionist: Receptionist | undefined;
  clock?: Clock | undefined;
  /** The public origin (and proxy prefix) Twilio calls: signatures cover that URL, not the Host header. */
  publicBaseUrl: string | undefined;
  twilio?: TwilioWebhookOptions | undefined;
  postmark?: PostmarkWebhookOptions | undefined;
  /** The instance's event hub: a call's relay hears of a staff take-over through it. */
  hub?: EventHub | undefined;
  onError: (error: unknown) => void;
}

/** Calls `onTakenOver` for each `conversation.taken_over` of the session the hub delivers, until `signal` aborts. */
function watchTakeOverWith(hub: EventHub, onError: (error: unknown) => void) {
  return (watch: { tenantId: string; sessionId: string; signal: AbortSignal }, onTakenOver: () => void): void => {
    void (async () => {
      for await (const message of hub.subscribe(watch)) {
        if (message.kind === 'domain' && message.event.type === 'conversation.taken_over') onTakenOver();
      }
    })().catch(onError);
  };
}

function formParams(body: unknown): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    // A repeated form field arrives as an array; Twilio never repeats one, so the first wins.
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') params[name] = first;
  }
  return params;
}

/**
 * Mounts the vendors' webhooks inside the plugin's error handling (a ChannelError maps through the
 * one error table: SIGNATURE → 403, VALIDATION → 400, NOT_FOUND → 404). Form bodies are parsed only
 * here, so the API's own routes keep accepting JSON alone.
 */
export async function registerChannelWebhooks(app: FastifyInstance, options: ChannelWebhooksOptions): Promise<{ drain: () => Promise<void> }> {
  await app.register(formbody);
  const { twilio, postmark, pool } = options;
  let drain = async (): Promise<void> => {};

  if (twilio) {
    if (!options.publicBaseUrl) throw new Error('gomomoPlugin: publicBaseUrl is required with twilio (Twilio signs the public URL it calls)');
    if (!options.receptionist) throw new Error('gomomoPlugin: a receptionist is required with twilio (inbound SMS are conversations)');
    const publicBaseUrl = options.publicBaseUrl;
    // The handler validates its own options (CONFIGURATION naming the field) when it is created.
    const sms = createInboundSmsHandler({
      pool,
      receptionist: options.receptionist,
      authToken: twilio.authToken,
      publicBaseUrl,
      replyMode: twilio.replyMode,
      replyTimeoutMs: twilio.replyTimeoutMs,
      onError: (error) => options.onError(error),
    });
    drain = () => sms.drain();

    // `request.url` is the path as received, prefix included: the signature covers exactly that.
    app.post('/twilio/sms', async (request, reply) => {
      const response = await sms.handle({ url: request.url, headers: request.headers, body: formParams(request.body) });
      return reply.code(response.status).type(response.contentType).send(response.body);
    });

    if (twilio.voice) await registerVoiceRoutes(app, createVoiceHandler({
      pool,
      receptionist: options.receptionist,
      engine: options.engine,
      authToken: twilio.authToken,
      publicBaseUrl,
      transport: twilio.voice.transport,
      maxConcurrentCalls: twilio.voice.maxConcurrentCalls,
      issueHandoffLink: twilio.voice.issueHandoffLink,
      // A message left for staff goes to the console's inbox through the agent's hand-off, which owns conversations.
      escalateToStaff: async (client, input) => {
        await escalateToStaffIn(client, { ...input, channel: 'voice', now: (options.clock ?? systemClock).now() });
      },
      clock: options.clock,
      watchTakeOver: options.hub ? watchTakeOverWith(options.hub, options.onError) : undefined,
      onError: (error) => options.onError(error),
    }));

    app.post('/twilio/status', async (request, reply) => {
      const signature = request.headers['x-twilio-signature'];
      const result = await handleTwilioStatusCallback(
        { pool, authToken: twilio.authToken },
        { url: publicUrlOf(publicBaseUrl, request.url), params: formParams(request.body), signature: typeof signature === 'string' ? signature : undefined },
      );
      return reply.code(200).send(result);
    });
  }

  if (postmark) {
    app.post('/postmark/webhook', async (request, reply) => {
      const result = await handlePostmarkWebhook({ pool, ...postmark }, { authorization: request.headers.authorization, body: request.body });
      return reply.code(200).send(result);
    });
  }
  return { drain };
}

/**
 * The voice routes: Twilio's webhooks (each a form POST signed like SMS's) and the ConversationRelay
 * WebSocket, whose handshake carries the same X-Twilio-Signature over the socket's URL.
 */
async function registerVoiceRoutes(app: FastifyInstance, voice: VoiceHandler): Promise<void> {
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  const send = (reply: FastifyReply, response: VoiceWebhookResponse) => reply.code(response.status).type(response.contentType).send(response.body);
  const routes: Array<[string, keyof Omit<VoiceHandler, 'relay'>]> = [
    [voicePaths.incoming, 'incoming'],
    [voicePaths.gather, 'gather'],
    [voicePaths.status, 'status'],
    [voicePaths.whisper, 'whisper'],
    [voicePaths.dialDone, 'dialDone'],
  ];
  for (const [path, name] of routes) {
    app.post(path, async (request, reply) => send(reply, await voice[name]({ url: request.url, headers: request.headers, body: formParams(request.body) })));
  }
  app.get(voicePaths.relay, {
    websocket: true,
    preValidation: async (request, reply) => {
      if (!voice.relay.isHandshakeValid(request.headers)) await reply.code(403).type('text/plain; charset=utf-8').send('Forbidden: the X-Twilio-Signature header is missing or does not match this socket');
    },
  }, (socket) => {
    const connection = voice.relay.open({ send: (text) => socket.send(text), close: (code, reason) => socket.close(code, reason) });
    socket.on('message', (data) => {
      void connection.onMessage(data.toString());
    });
    socket.on('close', () => connection.onClose());
  });
}
