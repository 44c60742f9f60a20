import { z } from 'zod';
import { ChannelError } from '../errors.js';

// Twilio's voice webhook parameters (https://www.twilio.com/docs/voice/twiml#request-parameters,
// <Gather>'s SpeechResult/Confidence/Digits, status callbacks' CallDuration). Only what the channel
// uses is checked; Twilio adds parameters over time and they must not break us.
const callSid = z.string().regex(/^CA[0-9a-f]{32}$/, 'must be a Twilio call SID like CA followed by 32 hex digits');
const callSchema = z.object({
  CallSid: callSid,
  // A withheld caller ID arrives as "anonymous" or a placeholder: kept, but never vouched for.
  From: z.string().trim().min(1, 'is required').max(32, 'must be at most 32 characters'),
  To: z.string().trim().regex(/^(\+[1-9]\d{6,14}|\d{3,8})$/, 'must be an E.164 phone number or a short code'),
  CallStatus: z.string().trim().max(32).default(''),
  // eslint-disable-next-line no-control-regex -- spoken words carry no control characters
  SpeechResult: z.string().max(4000, 'must be at most 4000 characters').default('').transform((s) => s.replace(/[\u0000-\u001f\u007f]/g, ' ').trim()),
  Confidence: z.coerce.number().min(0).max(1).optional().catch(undefined),
  Digits: z.string().trim().regex(/^[0-9*#w]{0,32}$/, 'must be keypad digits').default(''),
  CallDuration: z.coerce.number().int().min(0).optional().catch(undefined),
  // STIR/SHAKEN verification of the caller ID (https://www.twilio.com/docs/voice/trusted-calling-with-shakenstir):
  // present on inbound calls that came with a PASSporT. Anything odd is read as "no attestation".
  StirVerstat: z.string().trim().regex(/^[A-Za-z0-9-]{1,64}$/).optional().catch(undefined),
});

/** One voice webhook, read. */
export interface CallParams {
  callSid: string;
  from: string;
  to: string;
  status: string;
  speech: string;
  confidence: number | undefined;
  digits: string;
  durationSeconds: number | undefined;
  /** Twilio's `StirVerstat` (e.g. TN-Validation-Passed-A), or undefined. */
  attestation: string | undefined;
}

/** True for a caller ID we can text back (E.164). */
export function isDialable(number: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(number);
}

/** STIR/SHAKEN full attestation: the originating carrier knows the customer and that they may use this number. */
const fullAttestation = 'TN-Validation-Passed-A';

/**
 * True when the caller ID proves who is calling: a dialable number the carrier attested in full.
 * Caller ID is trivially faked (any SIP trunk sets it), and partial (B: the carrier knows the
 * customer, not that the number is theirs) or gateway (C) attestation vouches for nothing about the
 * number, so anything but A leaves the caller a stranger until a one-time code proves them.
 */
export function isCallerVouched(input: { from: string; attestation: string | null | undefined }): boolean {
  return isDialable(input.from) && input.attestation === fullAttestation;
}

/** Reads a voice webhook's form parameters, or throws VALIDATION naming the parameter. */
export function parseCallParams(params: Record<string, unknown>): CallParams {
  const parsed = callSchema.safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'body';
    const message = issue.code === 'invalid_type' && params[field] === undefined ? 'is required' : issue.message;
    throw new ChannelError('VALIDATION', `${field}: ${message}`, { field });
  }
  const p = parsed.data;
  return { callSid: p.CallSid, from: p.From, to: p.To, status: p.CallStatus, speech: p.SpeechResult, confidence: p.Confidence, digits: p.Digits, durationSeconds: p.CallDuration, attestation: p.StirVerstat };
}

/** ConversationRelay's call SID in its `setup` message, checked like the webhook's. */
export function parseCallSid(value: unknown): string {
  const parsed = callSid.safeParse(value);
  if (!parsed.success) throw new ChannelError('VALIDATION', `callSid: ${parsed.error.issues[0]!.message}`, { field: 'callSid' });
  return parsed.data;
}
