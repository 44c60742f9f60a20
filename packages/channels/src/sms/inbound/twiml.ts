import twilio from 'twilio';
import type { InboundSmsResponse } from './types.js';

const xml = 'text/xml; charset=utf-8';

/** A TwiML answer that sends `text` back to the sender, or sends nothing when `text` is null. */
export function toTwimlResponse(text: string | null): InboundSmsResponse {
  const response = new twilio.twiml.MessagingResponse();
  if (text !== null && text !== '') response.message(text);
  return { status: 200, contentType: xml, body: response.toString() };
}

/** A plain-text refusal (403, 404, 400): Twilio shows the body in its debugger. */
export function toTextResponse(status: number, text: string): InboundSmsResponse {
  return { status, contentType: 'text/plain; charset=utf-8', body: text };
}
