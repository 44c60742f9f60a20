// Twilio's ConversationRelay as a WebSocket client, for tests: it opens the socket with the
// X-Twilio-Signature Twilio puts on the handshake (the twilio SDK's helper over the public wss URL,
// no parameters), then speaks the documented JSON messages (setup, prompt, dtmf, interrupt) and
// collects what our server sends back (text tokens until `last: true`, end).
import twilio from 'twilio';
import WebSocket from 'ws';

export interface RelayReply {
  tokens: string[];
  text: string;
}

export interface FakeRelay {
  setup(): void;
  prompt(voicePrompt: string): Promise<RelayReply>;
  /** Sends a prompt and resolves at the first streamed piece (the reply is still being written). */
  promptUntilFirstPiece(voicePrompt: string): Promise<string>;
  dtmf(digit: string): Promise<RelayReply>;
  interrupt(utteranceUntilInterrupt: string): void;
  /** Resolves when the reply being sent ends (`last: true`); call it before what ends the reply. */
  replyEnd(): Promise<RelayReply>;
  /** Every message received so far, in order. */
  received: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function connectRelay(input: { port: number; publicRelayUrl: string; authToken: string; callSid: string; from: string; to: string }): Promise<FakeRelay> {
  const signature = twilio.getExpectedTwilioSignature(input.authToken, input.publicRelayUrl, {});
  const socket = new WebSocket(`ws://127.0.0.1:${input.port}/twilio/voice/relay`, { headers: { 'x-twilio-signature': signature } });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) => reject(new Error(`handshake answered ${response.statusCode}`)));
  });
  const received: Array<Record<string, unknown>> = [];
  let waiters: Array<(message: Record<string, unknown>) => void> = [];
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as Record<string, unknown>;
    received.push(message);
    for (const waiter of waiters) waiter(message);
  });
  const send = (message: Record<string, unknown>): void => socket.send(JSON.stringify(message));

  function nextReply(): Promise<RelayReply> {
    const tokens: string[] = [];
    return new Promise((resolve) => {
      const waiter = (message: Record<string, unknown>): void => {
        if (message['type'] !== 'text') return;
        tokens.push(String(message['token']));
        if (message['last'] === true) {
          waiters = waiters.filter((w) => w !== waiter);
          resolve({ tokens, text: tokens.join('').replace(/\s+/g, ' ').trim() });
        }
      };
      waiters.push(waiter);
    });
  }

  return {
    received,
    setup() {
      send({ type: 'setup', sessionId: `VX${'0'.repeat(32)}`, accountSid: `AC${'0'.repeat(32)}`, parentCallSid: '', callSid: input.callSid, from: input.from, to: input.to, forwardedFrom: '', callType: 'PSTN', callerName: '', direction: 'inbound', callStatus: 'RINGING', customParameters: {} });
    },
    prompt(voicePrompt) {
      const reply = nextReply();
      send({ type: 'prompt', voicePrompt, lang: 'en-US', last: true });
      return reply;
    },
    promptUntilFirstPiece(voicePrompt) {
      const first = new Promise<string>((resolve) => {
        const waiter = (message: Record<string, unknown>): void => {
          if (message['type'] === 'text' && message['last'] === false) {
            waiters = waiters.filter((w) => w !== waiter);
            resolve(String(message['token']));
          }
        };
        waiters.push(waiter);
      });
      send({ type: 'prompt', voicePrompt, lang: 'en-US', last: true });
      return first;
    },
    dtmf(digit) {
      const reply = nextReply();
      send({ type: 'dtmf', digit });
      return reply;
    },
    replyEnd: nextReply,
    interrupt(utteranceUntilInterrupt) {
      send({ type: 'interrupt', utteranceUntilInterrupt, durationUntilInterruptMs: 900 });
    },
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.close();
      });
    },
  };
}
