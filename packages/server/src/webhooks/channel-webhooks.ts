import formbody from '@fastify/formbody';
import { createInboundSmsHandler, handlePostmarkWebhook, handleTwilioStatusCallback, publicUrlOf, type SmsReplyMode } from '@gomomo/channels';
import type { Pool } from '@gomomo/core';
import type { FastifyInstance } from 'fastify';
import type { Receptionist } from '../trpc/receptionist.js';

/** Twilio's webhooks: inbound SMS (`POST /twilio/sms`) and delivery status callbacks (`POST /twilio/status`). */
export interface TwilioWebhookOptions {
  /** The account's auth token, which signs every webhook (X-Twilio-Signature). */
  authToken: string;
  /** How an inbound SMS is answered (channels' `SmsReplyMode`; default `auto`). */
  replyMode?: SmsReplyMode;
  /** `auto` mode's deadline before the reply goes through the outbox instead (default 10 s). */
  replyTimeoutMs?: number;
}

/** Postmark's delivery, bounce and spam-complaint webhook (`POST /postmark/webhook`), Basic auth. */
export interface PostmarkWebhookOptions {
  username: string;
  password: string;
}

export interface ChannelWebhooksOptions {
  pool: Pool;
  receptionist: Receptionist | undefined;
  /** The public origin (and proxy prefix) Twilio calls: signatures cover that URL, not the Host header. */
  publicBaseUrl: string | undefined;
  twilio?: TwilioWebhookOptions | undefined;
  postmark?: PostmarkWebhookOptions | undefined;
  onError: (error: unknown) => void;
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
