// The TwiML builder alone, not the whole SDK (which is ~18 MB resident).
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import type { VoiceWebhookResponse } from './types.js';

const xml = 'text/xml; charset=utf-8';
// One voice and language for every <Say>, so the disclosure and the replies sound like one speaker.
const sayAttributes = { voice: 'Polly.Joanna-Neural', language: 'en-US' } as const;

function respond(response: VoiceResponse): VoiceWebhookResponse {
  return { status: 200, contentType: xml, body: response.toString() };
}

/**
 * Says `text`, then listens for speech or keys. `actionOnEmptyResult` makes Twilio post to the
 * action even on silence, so no-input is handled by the same code as every other turn.
 */
export function sayAndGather(input: { text: string; action: string; isMessage?: boolean | undefined }): VoiceWebhookResponse {
  const response = new VoiceResponse();
  const gather = response.gather({
    input: ['speech', 'dtmf'],
    action: input.action,
    method: 'POST',
    actionOnEmptyResult: true,
    // A message runs longer than an answer; an answer is cut at the caller's pause.
    speechTimeout: input.isMessage ? '3' : 'auto',
    timeout: input.isMessage ? 8 : 5,
    numDigits: 1,
    language: 'en-US',
    speechModel: 'phone_call',
  });
  if (input.text) gather.say(sayAttributes, input.text);
  return respond(response);
}

/** Says `text` and hangs up. */
export function sayAndHangUp(text: string): VoiceWebhookResponse {
  const response = new VoiceResponse();
  response.say(sayAttributes, text);
  response.hangup();
  return respond(response);
}

/** Says `text` and connects the call to staff; `whisperUrl` is played to the staff member first. */
export function sayAndDial(input: { text: string; number: string; callerId: string; whisperUrl: string; action: string }): VoiceWebhookResponse {
  const response = new VoiceResponse();
  if (input.text) response.say(sayAttributes, input.text);
  const dial = response.dial({ callerId: input.callerId, timeout: 25, action: input.action, method: 'POST' });
  dial.number({ url: input.whisperUrl, method: 'POST' }, input.number);
  return respond(response);
}

/** Only words: the whisper played to the staff member before the call connects. */
export function sayOnly(text: string): VoiceWebhookResponse {
  const response = new VoiceResponse();
  response.say(sayAttributes, text);
  return respond(response);
}

/** Hands the call to ConversationRelay, which opens a WebSocket to `url`; the disclosure is its welcome greeting. */
export function connectRelay(input: { url: string; welcomeGreeting: string; action: string }): VoiceWebhookResponse {
  const response = new VoiceResponse();
  const connect = response.connect({ action: input.action });
  connect.conversationRelay({
    url: input.url,
    welcomeGreeting: input.welcomeGreeting,
    language: 'en-US',
    interruptible: 'any',
    dtmfDetection: true,
  });
  return respond(response);
}

/** A plain-text refusal (403, 400): Twilio shows the body in its debugger. */
export function toTextResponse(status: number, text: string): VoiceWebhookResponse {
  return { status, contentType: 'text/plain; charset=utf-8', body: text };
}
