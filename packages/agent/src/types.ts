/** The channels a customer can talk to the receptionist on. */
export type ChatChannel = 'web' | 'sms' | 'voice';

/** What the receptionist is doing, for typing indicators and status chips. */
export type TurnStatus = 'thinking' | 'checking_availability' | 'holding' | 'booking' | 'rescheduling' | 'cancelling' | 'joining_waitlist' | 'idle';

/** A slot as shown to a customer: ISO times with the tenant's offset and a label in its zone. */
export interface OfferedSlot {
  start: string;
  end: string;
  label: string;
}

/**
 * Live progress of a turn, JSON-serialisable so the server can push it as is. The widget renders
 * `slots` as buttons, SMS as a numbered list.
 */
export type TurnEvent =
  | { type: 'status'; status: TurnStatus }
  | { type: 'slots'; serviceId: string; slots: OfferedSlot[] }
  | { type: 'hold'; holdId: string; start: string; end: string; expiresAt: string }
  | { type: 'booking'; action: 'created' | 'rescheduled' | 'cancelled'; reference: string; start: string; end: string; serviceName: string }
  | { type: 'waitlist'; entryId: string }
  | { type: 'error'; message: string };

/** Contact details the channel has already verified (SMS: the sender's number). */
export interface VerifiedContact {
  phone?: string | undefined;
  email?: string | undefined;
}

export interface TurnInput {
  tenantId: string;
  /** Opaque, chosen by the caller; bound to the tenant of its first turn. */
  sessionId: string;
  channel: ChatChannel;
  /** The customer's words. Untrusted. */
  text: string;
  verifiedContact?: VerifiedContact | undefined;
  /** Where the customer's request came from (the client IP as the server trusts it); rations anonymous work per visitor. */
  clientAddress?: string | undefined;
  onEvent?: ((event: TurnEvent) => void) | undefined;
}

export interface TurnResult {
  reply: string;
  events: TurnEvent[];
  sessionId: string;
}

/** A tool call as a model asked for it (OpenAI's shape, without the vendor types). */
export interface ToolCallRecord {
  id: string;
  name: string;
  arguments: string;
}

/** One stored message of a conversation. */
export interface ConversationMessage {
  id: number;
  role: 'user' | 'assistant' | 'tool';
  content: string;
  toolCalls: ToolCallRecord[] | null;
  toolCallId: string | null;
  toolName: string | null;
  createdAt: string;
}
