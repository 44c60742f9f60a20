import { z } from 'zod';
import { ChannelError } from '../../errors.js';

function cleanBody(body: string): string {
  // eslint-disable-next-line no-control-regex -- dropping control characters is the point
  return body.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

// Twilio's inbound message parameters (https://www.twilio.com/docs/messaging/guides/webhook-request).
// Only what the channel uses is checked; Twilio adds parameters over time and they must not break us.
const inboundSchema = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-f]{32}$/i, 'must be a Twilio message SID like SM followed by 32 hex digits'),
  From: z.string().trim().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number like +15551234567'),
  To: z.string().trim().regex(/^(\+[1-9]\d{6,14}|\d{3,8})$/, 'must be an E.164 phone number or a short code'),
  // A picture with no text arrives with an empty Body.
  // A body is a person's words, so it is cleaned rather than refused: NUL and other control
  // characters (which Postgres refuses or a log misreads) are dropped, a lone surrogate is replaced.
  Body: z.string().max(1600, 'must be at most 1600 characters').default('').transform(cleanBody),
  NumMedia: z.coerce.number().int().min(0).default(0),
  // Set by Twilio's Advanced Opt-Out when the body matched one of the Messaging Service's keyword
  // lists, which an operator may extend (other languages, brand words).
  OptOutType: z.enum(['STOP', 'START', 'HELP']).optional().catch(undefined),
});

export interface InboundSms {
  messageSid: string;
  from: string;
  to: string;
  body: string;
  mediaCount: number;
  /** Twilio's own keyword verdict, when its Advanced Opt-Out is on. */
  optOutType: 'STOP' | 'START' | 'HELP' | undefined;
}

/** Reads an inbound message's form parameters, or throws VALIDATION naming the parameter. */
export function parseInboundSms(params: Record<string, unknown>): InboundSms {
  const parsed = inboundSchema.safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'body';
    const message = issue.code === 'invalid_type' && params[field] === undefined ? 'is required' : issue.message;
    throw new ChannelError('VALIDATION', `${field}: ${message}`, { field });
  }
  const { MessageSid, From, To, Body, NumMedia, OptOutType } = parsed.data;
  return { messageSid: MessageSid, from: From, to: To, body: Body, mediaCount: NumMedia, optOutType: OptOutType };
}
