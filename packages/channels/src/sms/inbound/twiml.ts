// The TwiML builder alone, not the whole SDK (which is ~18 MB resident).
import MessagingResponse from 'twilio/lib/twiml/MessagingResponse.js';
import type { InboundSmsResponse } from './types.js';

const xml = 'text/xml; charset=utf-8';

/** A TwiML answer that sends `text` back to the sender, or sends nothing when `text` is null. */
export function toTwimlResponse(text: string | null): InboundSmsResponse {
  const response = new MessagingResponse();
  if (text !== null && text !== '') response.message(text);
  return { status: 200, contentType: xml, body: response.toString() };
}

/** A plain-text refusal (403, 404, 400): Twilio shows the body in its debugger. */
export function toTextResponse(status: number, text: string): InboundSmsResponse {
  return { status, contentType: 'text/plain; charset=utf-8', body: text };
}
