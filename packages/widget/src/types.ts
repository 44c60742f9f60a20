// The contracts the widget renders. They mirror the server's TurnEvent and domain events
// structurally, so the widget depends on no server code and only the transport module adapts names.

export type TurnStatus = 'thinking' | 'checking_availability' | 'holding' | 'booking' | 'rescheduling' | 'cancelling' | 'joining_waitlist' | 'idle';

export interface OfferedSlot {
  start: string;
  end: string;
  label: string;
}

export interface BookingInfo {
  action: 'created' | 'rescheduled' | 'cancelled';
  reference: string;
  start: string;
  end: string;
  serviceName: string;
}

/** Live progress of a turn, as the agent reports it. */
export type TurnEvent =
  | { type: 'status'; status: TurnStatus }
  | { type: 'slots'; serviceId: string; slots: OfferedSlot[] }
  | { type: 'hold'; holdId: string; start: string; end: string; expiresAt: string }
  | ({ type: 'booking' } & BookingInfo)
  | { type: 'waitlist'; entryId: string }
  | { type: 'error'; message: string };

export interface TurnResult {
  reply: string;
  events: TurnEvent[];
  sessionToken: string;
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
  role: 'user' | 'assistant';
  text: string;
  slots?: OfferedSlot[];
  booking?: BookingInfo;
  failed?: boolean;
}
