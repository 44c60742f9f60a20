import type twilio from 'twilio';
import { ChannelError } from '../../errors.js';
import type { OutboundMessage, Transport } from '../../transports/types.js';

/** The request client the Twilio SDK calls; pass one to reach a proxy or a local fake. */
export type TwilioHttpClient = NonNullable<Parameters<typeof twilio>[2]>['httpClient'];

export interface TwilioTransportOptions {
  accountSid: string;
  authToken: string;
  /** A Twilio number in E.164, or use messagingServiceSid. */
  from?: string | undefined;
  messagingServiceSid?: string | undefined;
  /** Where Twilio posts delivery receipts (status callbacks). */
  statusCallbackUrl?: string | undefined;
  httpClient?: TwilioHttpClient;
  timeoutMs?: number | undefined;
}

// Twilio error codes that no retry will fix (https://www.twilio.com/docs/api/errors):
// 21211 invalid To, 21408 region not enabled, 21610 recipient replied STOP, 21614 not a mobile number.
const permanentCodes = new Set([21211, 21408, 21610, 21612, 21614]);

function classify(error: unknown): ChannelError {
  const { status, code, message } = (error ?? {}) as { status?: number; code?: number; message?: string };
  const text = `Twilio: ${message ?? 'request failed'}${code ? ` (code ${code})` : ''}`;
  if (status === 429 || code === 20429) return new ChannelError('RATE_LIMITED', text, { cause: error, retryAfterMs: 30_000 });
  if (code !== undefined && permanentCodes.has(code)) return new ChannelError('PERMANENT', text, { cause: error });
  if (status !== undefined && status >= 500) return new ChannelError('TRANSIENT', text, { cause: error });
  if (status !== undefined && status >= 400) return new ChannelError('PERMANENT', text, { cause: error });
  return new ChannelError('TRANSIENT', text, { cause: error });
}

/** True when the Twilio error says the recipient opted out (code 21610), so consent should record it. */
export function isTwilioOptOutError(error: unknown): boolean {
  const cause = (error as { cause?: { code?: number } } | null)?.cause;
  return cause?.code === 21610;
}

/** Sends SMS through Twilio's Messages API with the official SDK. */
export function createTwilioTransport(options: TwilioTransportOptions): Transport {
  if (!options.from && !options.messagingServiceSid) {
    throw new ChannelError('CONFIGURATION', 'Twilio needs a from number or a messagingServiceSid', { field: 'from' });
  }
  // The SDK loads on first use, not at import: an install that never sends through this provider
  // never pays for it in memory (the vendor SDKs are 10–20 MB resident each).
  let client: Promise<ReturnType<typeof twilio>> | undefined;
  const getClient = () =>
    (client ??= import('twilio').then(({ default: createClient }) =>
      createClient(options.accountSid, options.authToken, {
        ...(options.httpClient ? { httpClient: options.httpClient } : {}),
        timeout: options.timeoutMs ?? 10_000,
      }),
    ));
  return {
    provider: 'twilio',
    channel: 'sms',
    async send(message: OutboundMessage) {
      try {
        const sent = await (await getClient()).messages.create({
          to: message.recipient,
          body: message.body,
          ...(options.messagingServiceSid ? { messagingServiceSid: options.messagingServiceSid } : { from: options.from! }),
          ...(options.statusCallbackUrl ? { statusCallback: options.statusCallbackUrl } : {}),
        });
        return { providerMessageId: sent.sid };
      } catch (error) {
        throw classify(error);
      }
    },
    async findSent(message: OutboundMessage, since: Date) {
      // Twilio keeps no idempotency key: a message to the same number with the same body since the
      // claim is the one the dead sender handed over.
      const recent = await (await getClient()).messages.list({ to: message.recipient, dateSentAfter: new Date(since.getTime() - 60_000), limit: 50 });
      return recent.find((candidate) => candidate.body === message.body)?.sid ?? null;
    },
  };
}
