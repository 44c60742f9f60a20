// The contracts the widget renders: the receptionist port's types from @gomomo/contracts (type
// imports only, so nothing of it reaches the bundle), checked by the compiler against the server's.
import type { BookingInfo, OfferedSlot, SentTurnResult, TurnResult as PortTurnResult } from '@gomomo/contracts';

export type { BookingInfo, OfferedSlot, TurnEvent, TurnStatus } from '@gomomo/contracts';

/** A sent message's outcome as the widget keeps it: the reply, its events and the conversation's token. */
export interface TurnResult extends Pick<PortTurnResult, 'reply' | 'events'> {
  sessionToken: string;
  /** Remembered devices: the server may offer to remember the proven customer, or refused the stored device. */
  device?: SentTurnResult['device'];
}

/** A domain event pushed on the session (slot.opened, hold.expired, waitlist offers …). */
export interface PushEvent {
  id: string;
  type: string;
  payload: Record<string, unknown>;
}

export interface Contact {
  name?: string;
  email?: string;
  phone?: string;
}

/** One entry of the conversation as the widget shows it (and stores it across reloads). */
export interface ChatMessage {
  id: string;
  /** 'staff': a team member's reply after the conversation was handed to a person. */
  role: 'user' | 'assistant' | 'staff';
  text: string;
  slots?: OfferedSlot[];
  booking?: BookingInfo;
  failed?: boolean;
}
