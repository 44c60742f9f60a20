// The receptionist port: what every channel (web chat, SMS, voice, the staff console) says to the
// receptionist and hears back. `@gomomo/agent` implements it; the server, channels and the widget
// import these types only, so a changed event is one edit that the compiler follows everywhere.

/** The channels a customer can talk to the receptionist on. */
export const channels = ['web', 'sms', 'voice'] as const;

/** One of `channels`. */
export type Channel = (typeof channels)[number];

/** What the receptionist is doing, for typing indicators and status chips. */
export type TurnStatus = 'thinking' | 'checking_availability' | 'holding' | 'booking' | 'rescheduling' | 'cancelling' | 'joining_waitlist' | 'idle';

/** A slot as shown to a customer: ISO times with the tenant's offset and a label in its zone. */
export type OfferedSlot = {
  start: string;
  end: string;
  label: string;
};

/** A booking a turn made, moved or cancelled, as the customer is shown it. */
// A type alias, not an interface: TurnEvent must stay assignable to JSON-ish records (zod outputs).
export type BookingInfo = {
  action: 'created' | 'rescheduled' | 'cancelled';
  reference: string;
  start: string;
  end: string;
  serviceName: string;
};

/**
 * Live progress of a turn, JSON-serialisable so the server can push it as is. The widget renders
 * `slots` as buttons, SMS as a numbered list.
 */
export type TurnEvent =
  | { type: 'status'; status: TurnStatus }
  | { type: 'slots'; serviceId: string; slots: OfferedSlot[] }
  | { type: 'hold'; holdId: string; start: string; end: string; expiresAt: string }
  | ({ type: 'booking' } & BookingInfo)
  | { type: 'waitlist'; entryId: string }
  | { type: 'error'; message: string }
  /**
   * A piece of the reply as it is written, in order, already through the claim check (a sentence
   * that claims an outcome arrives only once checked). The turn's `reply` is always the whole text;
   * a brain that does not stream sends none of these.
   */
  | { type: 'text'; delta: string };

/** Contact details the channel has already verified (SMS: the sender's number). */
export interface VerifiedContact {
  phone?: string | undefined;
  email?: string | undefined;
}

/** One customer message for the receptionist. */
export interface TurnInput<C extends Channel = Channel> {
  tenantId: string;
  /** Opaque, chosen by the caller; bound to the tenant of its first turn. */
  sessionId: string;
  channel: C;
  /** The customer's words. Untrusted. */
  text: string;
  /** A contact the channel vouches for (an SMS sender's number), so the customer need not prove it. */
  verifiedContact?: VerifiedContact | undefined;
  /**
   * A contact the channel reached the customer on but cannot vouch for (a voice caller ID the
   * carrier did not attest): offered as the contact of a new booking or waitlist entry, never proof
   * of who the customer is (no profile, no booking found or changed by it without a code).
   */
  offeredContact?: VerifiedContact | undefined;
  /** Where the customer's request came from (the client IP as the server trusts it); rations anonymous work per visitor. */
  clientAddress?: string | undefined;
  onEvent?: ((event: TurnEvent) => void) | undefined;
  /**
   * Aborts the turn's remaining reply (a caller interrupted): no further `text` events are sent. A
   * tool that already ran stays done and is reported; only words not yet sent are dropped.
   */
  signal?: AbortSignal | undefined;
}

/** The receptionist's answer to one turn. */
export interface TurnResult {
  reply: string;
  events: TurnEvent[];
  sessionId: string;
}

/**
 * `chat.send`'s result on the wire: the turn result plus, on a conversation's first message only,
 * the bearer token the server issued for it (shown once; only its hash is kept).
 */
export interface SentTurnResult extends TurnResult {
  sessionToken?: string | undefined;
  /**
   * Remembered devices: `opened` / `refused` answer a new conversation's `deviceToken` (a refused one
   * should be dropped); `offer` means the widget may offer to remember the proven customer now.
   */
  device?: 'offer' | 'opened' | 'refused' | undefined;
}

/** One stored message of a conversation, as `getHistory` returns it. */
export interface HistoryMessage {
  id: number;
  /** 'staff': a staff member's reply while they held the conversation (the hand-off to a person). */
  role: 'user' | 'assistant' | 'tool' | 'staff';
  content: string;
  createdAt: string;
}

/** A web conversation just started: its id and its bearer token (shown once). */
export interface StartedConversation {
  sessionId: string;
  token: string;
}

/** The receptionist as channels use it; `@gomomo/agent`'s `createReceptionist` implements it. */
export interface ReceptionistPort {
  handleTurn(input: TurnInput): Promise<TurnResult>;
  getHistory(input: { tenantId: string; sessionId: string; limit?: number | undefined }): Promise<HistoryMessage[]>;
  /** Starts a web conversation and issues its bearer token (shown once; only its hash is kept). */
  startConversation(input: { tenantId: string; channel: 'web' }): Promise<StartedConversation>;
  /** The tenant's conversation with this token or id; null for unknown and other tenants' alike. */
  findConversation(input: { tenantId: string; token?: string | undefined; sessionId?: string | undefined }): Promise<{ sessionId: string } | null>;
  /**
   * Opens a waitlist offer's link: spends the token, starts a web conversation holding the offer and
   * answers with its summary. A call's handoff link ("text me a link") opens the call's own
   * conversation instead, with what was said before as `history`. Null for an unknown, spent,
   * lapsed or other tenant's token.
   */
  openOffer?(input: { tenantId: string; offerToken: string; clientAddress?: string | undefined; onEvent?: ((event: TurnEvent) => void) | undefined }): Promise<
    (TurnResult & { token: string; history?: Array<Pick<HistoryMessage, 'role' | 'content' | 'createdAt'>> | undefined }) | null
  >;
  /** "Remember me on this device" for web conversations; absent where the receptionist cannot. */
  devices?: DevicePort | undefined;
}

/**
 * Remembered devices (issue 20 item 2): a web conversation whose contact a one-time code proved may
 * leave the browser an opaque device token (opt-in, tenant setting, revocable); a later conversation
 * opened with it starts with that contact proven. The token never holds the contact.
 */
export interface DevicePort {
  /** Whether the widget may offer to remember this conversation's proven customer now. */
  canRemember(input: { tenantId: string; sessionId: string }): Promise<boolean>;
  /** Issues a device token bound to the tenant, the customer's contact and the site's origin (shown once), once per conversation. */
  remember(input: { tenantId: string; sessionId: string; origin: string }): Promise<{ remembered: true; token: string; expiresAt: Date } | { remembered: false; reason: 'disabled' | 'not-proven' | 'already-remembered' }>;
  /** Opens a just-started conversation with a device token; refused tokens leave it a stranger's. */
  open(input: { tenantId: string; sessionId: string; token: string; origin: string | undefined }): Promise<{ opened: true } | { opened: false; reason: 'unknown' | 'expired' | 'revoked' | 'origin' | 'disabled' }>;
  /** The customer's "forget this device": revokes the token. False when it was unknown or revoked already. */
  forget(input: { tenantId: string; token: string }): Promise<boolean>;
  /** Staff: revokes every device remembered for a customer's email or phone; resolves to how many. */
  revokeForCustomer(input: { tenantId: string; email?: string | undefined; phone?: string | undefined }): Promise<number>;
}

/** A stored domain event pushed on a session (slot.opened, hold.expired, waitlist offers …). */
export interface DomainSessionEvent {
  kind: 'domain';
  id: number;
  type: string;
  subjectId: string | null;
  payload: Record<string, unknown>;
  occurredAt: string;
}

/**
 * A staff member's reply in a conversation they took over (the hand-off to a person), pushed to the
 * customer's widget. Stored (resumable like domain events: `id` is the domain event's id).
 */
export interface StaffSessionEvent {
  kind: 'staff';
  id: number;
  messageId: number;
  text: string;
  occurredAt: string;
}

/** What a session subscriber receives (`chat.events`): stored domain events (resumable), live turn progress and staff replies. */
export type SessionEvent<D extends DomainSessionEvent = DomainSessionEvent> = D | { kind: 'turn'; event: TurnEvent } | StaffSessionEvent;

/** Who acts: the customer, the business's staff, or the receptionist on its own (jobs, the worker). */
export const actors = ['customer', 'staff', 'autonomous'] as const;

/** One of `actors`. */
export type Actor = (typeof actors)[number];
