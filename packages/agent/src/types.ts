// The receptionist port (turn input and result, events, channels) lives in @gomomo/contracts; the
// agent implements it. Re-exported under the agent's names for its callers.
import type { Channel } from '@gomomo/contracts';

export type { OfferedSlot, TurnEvent, TurnInput, TurnResult, TurnStatus, VerifiedContact } from '@gomomo/contracts';

/** The channels a customer can talk to the receptionist on (the port's `Channel`). */
export type ChatChannel = Channel;

/** A tool call as a model asked for it (OpenAI's shape, without the vendor types). */
export interface ToolCallRecord {
  id: string;
  name: string;
  arguments: string;
}

/** One stored message of a conversation. */
export interface ConversationMessage {
  id: number;
  /** 'staff': a staff member's reply while they held the conversation (see handoff/). */
  role: 'user' | 'assistant' | 'tool' | 'staff';
  content: string;
  toolCalls: ToolCallRecord[] | null;
  toolCallId: string | null;
  toolName: string | null;
  createdAt: string;
}
