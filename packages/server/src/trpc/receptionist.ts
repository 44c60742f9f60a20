// The receptionist as the server uses it. Declared structurally (matching @gomomo/agent's
// `createReceptionist`) so the server runs, and its tests pass, with any receptionist: the real
// agent in apps/api, or none (chat then answers UNAVAILABLE). Keep all agent usage in this file.

export type TurnStatus = 'thinking' | 'checking_availability' | 'holding' | 'booking' | 'rescheduling' | 'cancelling' | 'joining_waitlist' | 'idle';

/** Live progress of a turn, pushed to the session's subscribers as it happens. */
export type TurnEvent =
  | { type: 'status'; status: TurnStatus }
  | { type: 'slots'; serviceId: string; slots: { start: string; end: string; label: string }[] }
  | { type: 'hold'; holdId: string; start: string; end: string; expiresAt: string }
  | { type: 'booking'; action: 'created' | 'rescheduled' | 'cancelled'; reference: string; start: string; end: string; serviceName: string }
  | { type: 'waitlist'; entryId: string }
  | { type: 'error'; message: string };

export interface TurnResult {
  reply: string;
  events: TurnEvent[];
  sessionId: string;
}

export interface HistoryMessage {
  id: number;
  role: 'user' | 'assistant' | 'tool';
  content: string;
  createdAt: string;
}

/** What the server needs from `@gomomo/agent`'s receptionist. */
export interface Receptionist {
  handleTurn(input: {
    tenantId: string;
    sessionId: string;
    channel: 'web' | 'sms' | 'voice';
    text: string;
    /** A contact the channel vouches for (an SMS sender's number), so the customer need not prove it. */
    verifiedContact?: { phone?: string; email?: string };
    /** The client IP as the server trusts it, so anonymous work is rationed per visitor. */
    clientAddress?: string;
    onEvent?: (event: TurnEvent) => void;
  }): Promise<TurnResult>;
  getHistory(input: { tenantId: string; sessionId: string; limit?: number }): Promise<HistoryMessage[]>;
  /** Starts a web conversation and issues its bearer token (shown once; only its hash is kept). */
  startConversation(input: { tenantId: string; channel: 'web' }): Promise<{ sessionId: string; token: string }>;
  /** The tenant's conversation with this token or id; null for unknown and other tenants' alike. */
  findConversation(input: { tenantId: string; token?: string; sessionId?: string }): Promise<{ sessionId: string } | null>;
  /**
   * Opens a waitlist offer's link: spends the token, starts a web conversation holding the offer and
   * answers with its summary. Null for an unknown, spent, lapsed or other tenant's token.
   */
  openOffer?(input: { tenantId: string; offerToken: string; clientAddress?: string; onEvent?: (event: TurnEvent) => void }): Promise<(TurnResult & { token: string }) | null>;
}
