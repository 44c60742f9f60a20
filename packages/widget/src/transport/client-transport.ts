import type { SentTurnResult, SessionEvent } from '@gomomo/contracts';
import type { PushEvent } from '../types.js';
import type { HistoryEntry, WidgetConfig, WidgetTransport } from './transport.js';
import { callProcedure, openStream } from './wire.js';

export interface ClientTransportOptions {
  baseUrl: string;
  apiKey: string;
  /** Mount point of the API's tRPC router (default `/trpc`). */
  trpcPath?: string;
}

// The only place that knows the server's procedure names.
const procedures = {
  send: 'chat.send',
  openOffer: 'chat.openOffer',
  history: 'chat.history',
  events: 'chat.events',
  eventsSince: 'chat.eventsSince',
  streamTicket: 'chat.streamTicket',
  config: 'widget.config',
  rememberDevice: 'devices.remember',
  forgetDevice: 'devices.forget',
} as const;

/** A stored session event as the state machine takes it; a staff member's reply is one too. */
function toPushEvent(event: Exclude<SessionEvent, { kind: 'turn' }>): PushEvent {
  if (event.kind === 'staff') return { id: String(event.id), type: 'conversation.staff_replied', payload: { messageId: event.messageId, text: event.text } };
  return { id: String(event.id), type: event.type, payload: event.payload };
}

/** The widget's connection to the gomomo API: calls over HTTP, push over SSE. */
export function createClientTransport(options: ClientTransportOptions): WidgetTransport {
  const base = { url: `${options.baseUrl}${options.trpcPath ?? '/trpc'}`, apiKey: options.apiKey };
  return {
    async send({ sessionToken, text, deviceToken }) {
      // The server issues the token on a conversation's first message and only then returns it.
      const input = deviceToken && !sessionToken ? { text, deviceToken } : { text };
      const result = await callProcedure<SentTurnResult>(base, { path: procedures.send, input, method: 'POST', sessionToken });
      return { reply: result.reply, events: result.events, sessionToken: result.sessionToken ?? sessionToken ?? '', ...(result.device ? { device: result.device } : {}) };
    },
    config: () => callProcedure<WidgetConfig>(base, { path: procedures.config, input: {}, method: 'GET' }),
    async rememberDevice(sessionToken) {
      return (await callProcedure<{ deviceToken: string }>(base, { path: procedures.rememberDevice, input: {}, method: 'POST', sessionToken })).deviceToken;
    },
    async forgetDevice(deviceToken) {
      // POST: the token travels in the body, never in a URL.
      await callProcedure(base, { path: procedures.forgetDevice, input: { deviceToken }, method: 'POST' });
    },
    async openOffer(offerToken) {
      // POST: the token travels in the body, never in a URL.
      const result = await callProcedure<SentTurnResult & { sessionToken: string; history?: Array<{ role: string; content: string }> }>(base, { path: procedures.openOffer, input: { offerToken }, method: 'POST' });
      const history = (result.history ?? []).flatMap((message, index): HistoryEntry[] => (message.role === 'user' || message.role === 'assistant' ? [{ id: index, role: message.role, content: message.content }] : []));
      return { reply: result.reply, events: result.events, sessionToken: result.sessionToken, history };
    },
    async history(sessionToken) {
      const messages = await callProcedure<{ id: number; role: string; content: string }[]>(base, { path: procedures.history, input: { limit: 100 }, method: 'GET', sessionToken });
      return messages.filter((message): message is HistoryEntry => message.role === 'user' || message.role === 'assistant');
    },
    async eventsSince(sessionToken, afterId) {
      const { events } = await callProcedure<{ events: SessionEvent[] }>(base, { path: procedures.eventsSince, input: { afterId: afterId ?? null }, method: 'GET', sessionToken });
      return events.flatMap((event) => (event.kind === 'turn' ? [] : [toPushEvent(event)]));
    },
    subscribe(sessionToken, handlers) {
      return openStream(base, {
        path: procedures.events,
        ticket: async () => (await callProcedure<{ ticket: string }>(base, { path: procedures.streamTicket, input: {}, method: 'POST', sessionToken })).ticket,
        input: (lastEventId) => ({ lastEventId: lastEventId ?? null }),
        lastEventId: handlers.lastEventId,
        onOpen: handlers.onConnected,
        onTrouble: handlers.onTrouble,
        onData(id, value) {
          const data = value as SessionEvent;
          if (data.kind === 'turn') handlers.onTurnEvent(data.event);
          else handlers.onPush({ ...toPushEvent(data), id: id ?? String(data.id) });
        },
      });
    },
    async isOriginRefused() {
      // A no-cors request succeeds (opaquely) whenever the server answers at all; if it does while
      // the CORS request failed, the browser withheld the answer because this origin isn't allowed.
      try {
        await fetch(`${options.baseUrl}/`, { mode: 'no-cors', cache: 'no-store', credentials: 'omit' });
        return true;
      } catch {
        return false;
      }
    },
  };
}
