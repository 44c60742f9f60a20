import type { PushEvent, TurnEvent, TurnResult } from '../types.js';

/** What the business chose for its widget (tenant `settings.widget`). */
export interface WidgetConfig {
  speech: boolean;
}

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
  /** `deviceToken` (a remembered device) goes only with a conversation's first message. */
  send(input: { sessionToken?: string; text: string; deviceToken?: string }): Promise<TurnResult>;
  /** The business's widget settings (speech), read with the publishable key. */
  config?(): Promise<WidgetConfig>;
  /** "Remember me on this device": a device token for the conversation's proven customer. */
  rememberDevice?(sessionToken: string): Promise<string>;
  /** "Forget this device": the server revokes the token. */
  forgetDevice?(deviceToken: string): Promise<void>;
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
