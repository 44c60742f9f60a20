import type { PushEvent, TurnEvent, TurnResult } from '../types.js';

export interface HistoryEntry {
  id: number;
  role: 'user' | 'assistant';
  content: string;
}

export interface SubscribeHandlers {
  lastEventId?: string;
  onTurnEvent: (event: TurnEvent) => void;
  onPush: (event: PushEvent) => void;
  /** Called when the stream cannot be (re)opened; the controller may fall back to polling. */
  onTrouble: (error: unknown) => void;
  onConnected: () => void;
}

/**
 * Everything the widget asks of the API. This is the one seam between the UI and the server's
 * procedure names: the default implementation speaks tRPC's HTTP and SSE wire format itself
 * (`wire.ts`, about 100 lines instead of bundling @gomomo/client); tests and hosts with their
 * own backend may pass any object of this shape.
 */
export interface WidgetTransport {
  send(input: { sessionToken?: string; text: string }): Promise<TurnResult>;
  /**
   * Opens a waitlist offer link's token in a new conversation; the reply is the offer's summary. A
   * call's "text me a link" opens the call's own conversation, with what was said as `history`.
   */
  openOffer?(offerToken: string): Promise<TurnResult & { history?: HistoryEntry[] | undefined }>;
  history(sessionToken: string): Promise<HistoryEntry[]>;
  /** Stored push events after `afterId`, over plain HTTP: the fallback when SSE is blocked. */
  eventsSince(sessionToken: string, afterId: string | undefined): Promise<PushEvent[]>;
  /** Opens the session's push stream; returns a function that closes it. */
  subscribe(sessionToken: string, handlers: SubscribeHandlers): () => void;
  /**
   * True when the API answers but the browser refused to show us the answer: the page's origin
   * is not allowed for the key (CORS), which the browser reports as a plain network error.
   */
  isOriginRefused(): Promise<boolean>;
}
