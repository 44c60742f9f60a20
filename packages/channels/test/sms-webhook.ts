// Builds inbound SMS webhook requests exactly as Twilio sends them: form parameters, and an
// X-Twilio-Signature computed by the twilio SDK's own helper over the public URL.
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import type { InboundSmsRequest } from '../src/sms/inbound/types.js';

export const authToken = 'inbound-test-auth-token';
export const publicBaseUrl = 'https://api.gomomo.test';
export const webhookPath = '/twilio/sms';

/** A fresh Twilio-shaped message SID. */
export function newMessageSid(): string {
  return `SM${randomBytes(16).toString('hex')}`;
}

let numberCounter = 0;
/** A distinct E.164 number per call (NANP fictional range 555-01xx). */
export function newPhone(): string {
  numberCounter += 1;
  return `+1202555${String(1000 + ((process.pid * 7 + numberCounter) % 9000)).padStart(4, '0')}`;
}

export interface InboundParams {
  from: string;
  to: string;
  body: string;
  messageSid?: string;
  extra?: Record<string, string>;
}

/** The form parameters of an inbound SMS webhook. */
export function inboundParams(input: InboundParams): Record<string, string> {
  return {
    ToCountry: 'US',
    SmsMessageSid: input.messageSid ?? '',
    NumMedia: '0',
    MessageSid: input.messageSid ?? newMessageSid(),
    AccountSid: `AC${'0'.repeat(32)}`,
    From: input.from,
    To: input.to,
    Body: input.body,
    NumSegments: '1',
    ApiVersion: '2010-04-01',
    ...input.extra,
  };
}

/** A request signed for `publicBaseUrl + path`, arriving at the app with an internal Host header (as behind a proxy). */
export function signedRequest(params: Record<string, string>, options: { path?: string; signedUrl?: string; token?: string } = {}): InboundSmsRequest {
  const path = options.path ?? webhookPath;
  const signature = twilio.getExpectedTwilioSignature(options.token ?? authToken, options.signedUrl ?? `${publicBaseUrl}${path}`, params);
  return {
    url: path,
    headers: { host: '10.0.0.7:3000', 'x-forwarded-proto': 'https', 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: params,
  };
}

/** The one <Message> of a TwiML answer, or null when it sends nothing. */
export function twimlMessage(body: string): string | null {
  const match = /<Message>([\s\S]*?)<\/Message>/.exec(body);
  if (!match) return null;
  return match[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
