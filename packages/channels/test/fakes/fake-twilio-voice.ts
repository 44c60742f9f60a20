// Twilio's side of a phone call, for tests: it posts the voice webhooks exactly as Twilio does
// (form parameters, X-Twilio-Signature computed by the twilio SDK's own helper over the public
// URL) and reads the TwiML answer the way Twilio would act on it.
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import type { VoiceHandler } from '../../src/voice/handler.js';
import type { VoiceWebhookRequest, VoiceWebhookResponse } from '../../src/voice/types.js';

export const voiceAuthToken = 'voice-test-auth-token';
export const voicePublicBaseUrl = 'https://api.gomomo.test';

export function newCallSid(): string {
  return `CA${randomBytes(16).toString('hex')}`;
}

function unescape(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** What Twilio would do with a TwiML answer. */
export interface ReadTwiml {
  said: string;
  gatherAction: string | null;
  dial: string | null;
  whisperUrl: string | null;
  isHangup: boolean;
  relayUrl: string | null;
  welcomeGreeting: string | null;
}

export function readTwiml(body: string): ReadTwiml {
  const said = [...body.matchAll(/<Say[^>]*>([\s\S]*?)<\/Say>/g)].map((m) => unescape(m[1]!)).join(' ');
  const relay = /<ConversationRelay ([^>]*)\/>/.exec(body)?.[1] ?? null;
  const attribute = (source: string | null, name: string): string | null => (source ? (new RegExp(`${name}="([^"]*)"`).exec(source)?.[1] ?? null) : null);
  return {
    said,
    gatherAction: attribute(/<Gather ([^>]*)>/.exec(body)?.[1] ?? null, 'action'),
    dial: /<Number[^>]*>([^<]*)<\/Number>/.exec(body)?.[1] ?? null,
    whisperUrl: attribute(/<Number ([^>]*)>/.exec(body)?.[1] ?? null, 'url'),
    isHangup: /<Hangup\/>/.test(body),
    relayUrl: relay ? unescape(attribute(relay, 'url') ?? '') : null,
    welcomeGreeting: relay ? unescape(attribute(relay, 'welcomeGreeting') ?? '') : null,
  };
}

/** A request signed for `publicBaseUrl + path`, arriving with an internal Host header (as behind a proxy). */
export function signedVoiceRequest(path: string, params: Record<string, string>, token = voiceAuthToken): VoiceWebhookRequest {
  const signature = twilio.getExpectedTwilioSignature(token, `${voicePublicBaseUrl}${path}`, params);
  return { url: path, headers: { host: '10.0.0.7:3000', 'x-twilio-signature': signature }, body: params };
}

/** Full STIR/SHAKEN attestation of the caller ID, as Twilio's `StirVerstat` says it. */
export const fullAttestation = 'TN-Validation-Passed-A';

/**
 * One caller on one call: each method is one webhook Twilio would send. `attestation` is the
 * `StirVerstat` Twilio adds to every webhook of a call that came with a verified PASSporT (absent: none).
 */
export function startCaller(handler: () => VoiceHandler, input: { from: string; to: string; callSid?: string; attestation?: string | undefined }) {
  const callSid = input.callSid ?? newCallSid();
  const base = {
    CallSid: callSid,
    AccountSid: `AC${'0'.repeat(32)}`,
    From: input.from,
    To: input.to,
    Direction: 'inbound',
    ApiVersion: '2010-04-01',
    ...(input.attestation ? { StirVerstat: input.attestation } : {}),
  };
  let last: VoiceWebhookResponse | null = null;
  const read = (response: VoiceWebhookResponse): ReadTwiml => {
    last = response;
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${response.body}`);
    return readTwiml(response.body);
  };
  return {
    callSid,
    get last() {
      return last;
    },
    async dial(): Promise<ReadTwiml> {
      return read(await handler().incoming(signedVoiceRequest('/twilio/voice', { ...base, CallStatus: 'ringing' })));
    },
    async say(speech: string, confidence = 0.92): Promise<ReadTwiml> {
      return read(await handler().gather(signedVoiceRequest('/twilio/voice/gather', { ...base, CallStatus: 'in-progress', SpeechResult: speech, Confidence: String(confidence) })));
    },
    async press(digits: string): Promise<ReadTwiml> {
      return read(await handler().gather(signedVoiceRequest('/twilio/voice/gather', { ...base, CallStatus: 'in-progress', Digits: digits })));
    },
    async silence(): Promise<ReadTwiml> {
      return read(await handler().gather(signedVoiceRequest('/twilio/voice/gather', { ...base, CallStatus: 'in-progress' })));
    },
    async status(status: string, duration?: number): Promise<VoiceWebhookResponse> {
      return handler().status(signedVoiceRequest('/twilio/voice/status', { ...base, CallStatus: status, ...(duration === undefined ? {} : { CallDuration: String(duration) }) }));
    },
  };
}
