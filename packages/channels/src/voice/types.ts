import type { TurnInput, TurnResult } from '@gomomo/contracts';
import type { BookingEngine, Clock, Pool, PoolClient } from '@gomomo/core';

/**
 * What the voice channel needs from the receptionist: the port's `handleTurn` (channels may not
 * depend on the agent; the server passes the real one in). `onEvent` carries streamed `text`
 * pieces, `signal` stops the rest of a reply when the caller interrupts.
 */
export interface VoiceReceptionist {
  handleTurn(input: TurnInput<'voice'>): Promise<Pick<TurnResult, 'reply' | 'events'>>;
}

export interface VoiceHandlerOptions {
  pool: Pool;
  receptionist: VoiceReceptionist;
  /** The Twilio account's auth token, which signs every webhook and the relay's WebSocket handshake. */
  authToken: string;
  /** The origin Twilio calls (signatures cover this URL, not the Host header the app sees). */
  publicBaseUrl: string;
  /** `relay`: answer with <Connect><ConversationRelay> (the account has it); default `gather`. */
  transport?: 'gather' | 'relay' | undefined;
  /** Live calls per tenant before callers hear a busy message; default 10. */
  maxConcurrentCalls?: number | undefined;
  /** Speech Twilio heard with less confidence than this is treated as not understood; default 0.3. */
  minConfidence?: number | undefined;
  /**
   * Issues the "text me a link" handoff: a single-use, expiring web link that opens the call's
   * conversation. Null (or absent): the channel offers a transfer instead.
   */
  issueHandoffLink?: ((input: { tenantId: string; sessionId: string }) => Promise<string | null>) | undefined;
  /**
   * Hands the call's conversation to staff with the lines it is missing (the receptionist's package
   * owns conversations; the server passes `@gomomo/agent`'s `escalateToStaff`): a message left
   * outside hours, or when staff did not pick up, shows in the console's inbox as needing staff.
   * Absent: the message is only in the audit log and voice_turns. It runs inside the transaction
   * that stores the call's turn (`client`, tenant set), so a retried webhook cannot escalate twice.
   */
  escalateToStaff?: ((client: PoolClient, input: VoiceEscalation) => Promise<void>) | undefined;
  /**
   * Tells the relay when staff take the call's conversation over (the server passes its event hub):
   * calls `onTakenOver` for each take-over until `signal` aborts (the socket closed). The reply still
   * streaming then stops at once, as the widget's stream drops words after a take-over. Absent: such
   * a reply is only dropped from the record when its turn is saved, after the caller heard it.
   */
  watchTakeOver?: ((watch: { tenantId: string; sessionId: string; signal: AbortSignal }, onTakenOver: () => void) => void) | undefined;
  /** Releases a dropped call's live holds (status callback); absent: holds lapse on their own TTL. */
  engine?: Pick<BookingEngine, 'releaseHold'> | undefined;
  clock?: Clock | undefined;
  /** Where failures that have no HTTP response to go to (a relay socket, an SMS queue) are reported. */
  onError?: ((error: unknown, context: { tenantId?: string | undefined; callSid?: string | undefined }) => void) | undefined;
}

/** A call handed to staff: its conversation, why, the caller ID to call back and the call's lines the conversation lacks. */
export interface VoiceEscalation {
  tenantId: string;
  sessionId: string;
  /** 'asked': the caller asked for a person; 'failures': speech kept failing. */
  reason: 'asked' | 'failures';
  phone: string | undefined;
  messages: Array<{ role: 'user' | 'assistant'; content: string }>;
}

/** One webhook request as the HTTP layer received it. */
export interface VoiceWebhookRequest {
  /** The path and query as received, e.g. `/twilio/voice` (not the full URL). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed `application/x-www-form-urlencoded` body. */
  body: Record<string, unknown>;
}

/** What the HTTP layer sends back, verbatim. */
export interface VoiceWebhookResponse {
  status: number;
  contentType: string;
  body: string;
}
