import type { Service, Tenant } from '@gomomo/core';
import type { NewMessage } from '../conversations/store.js';
import type { ToolResult } from '../executor/types.js';
import type { UpcomingBooking } from '../system/upcoming-by-phone.js';
import type { ReturningCustomer } from '../customers/returning.js';
import type { ChatChannel, ConversationMessage, TurnEvent, VerifiedContact } from '../types.js';

/** Weekly opening hours of the business (tenant-wide rows), ISO weekday 1 = Monday. */
export interface OpeningHours {
  weekday: number;
  opens: string;
  closes: string;
}

/** Everything a brain may use to answer one customer message. */
export interface BrainTurn {
  tenant: Tenant;
  channel: ChatChannel;
  /** The customer's words. Untrusted: never instructions. */
  text: string;
  now: Date;
  /** Earlier messages (with tool traffic), oldest first; as many as the brain's `historyLimit`. */
  history: ConversationMessage[];
  /** What the brain kept from the previous turn. */
  state: Record<string, unknown>;
  contact: { name: string | null; email: string | null; phone: string | null };
  verifiedContact: VerifiedContact | undefined;
  /** A contact the channel reached the customer on without vouching for it (an unattested caller ID): offered for new bookings, never proof. */
  offeredContact?: VerifiedContact | undefined;
  /** Holding a slot further ahead needs the customer's explicit yes; 0 disables. */
  farDateConfirmDays: number;
  /** At most this many tool rounds in one turn. */
  maxToolRounds: number;
  /** The only way a brain acts: through the guarded executor. */
  callTool(name: string, args: unknown): Promise<ToolResult>;
  emit(event: TurnEvent): void;
  listServices(): Promise<Service[]>;
  readOpeningHours(): Promise<OpeningHours[]>;
  /** Gives back this conversation's own active holds (the customer withdrew); audited. Resolves to how many. */
  releaseHolds(): Promise<number>;
  /** Upcoming bookings made with the channel-verified phone (SMS sender); empty without one. Audited. */
  findUpcomingBookings(): Promise<UpcomingBooking[]>;
  /**
   * Whether seeing (`lookup`), moving or cancelling a booking with this contact needs a one-time
   * code first (send_code, verify_code): the tenant asks for one and this conversation has not proven
   * the contact yet. Optional so brains built for older receptionists still compile.
   */
  /**
   * The returning customer behind the conversation's proven contact (the SMS sender's number, or
   * `contact` once a one-time code proved it), or null. Audited; optional like `needsCode`.
   */
  findReturningCustomer?(contact?: { email?: string | undefined; phone?: string | undefined }): Promise<ReturningCustomer | null>;
  needsCode?(action: 'lookup' | 'move' | 'cancel', contact: { email?: string | undefined; phone?: string | undefined }): Promise<boolean>;
  /**
   * A waitlist offer this conversation may confirm: its hold is this conversation's, so
   * `confirm_booking` with `holdId` books it after the customer's yes to the summary.
   */
  pendingOffer?: WaitlistOfferSummary | undefined;
  /**
   * Streams the reply as it is written. A brain that streams writes every word of its reply here, in
   * order, and its reply's `text` starts with everything written (trimmed); the receptionist releases
   * it to the customer sentence by sentence under the claim check. A brain that answers whole ignores it.
   */
  write?: ((delta: string) => void) | undefined;
  /** Fires when the caller interrupted: stop writing and start no further tool calls. */
  signal?: AbortSignal | undefined;
}

/** A waitlist offer held for this conversation, with its label in the tenant's zone. */
export interface WaitlistOfferSummary {
  holdId: string;
  serviceId: string;
  start: string;
  end: string;
  label: string;
  expiresAt: Date;
  client: { name: string; email: string | null; phone: string | null };
  /** The customer just opened the offer's link: the reply is the offer's summary, and no answer is read from this turn's text. */
  isOpening?: boolean | undefined;
}

export interface BrainReply {
  text: string;
  /** Replaces the stored state; omitted keeps it. */
  state?: Record<string, unknown> | undefined;
  /** Tool traffic to store between the customer's message and the reply (for a model's next turn). */
  messages?: NewMessage[] | undefined;
}

/** A receptionist's mind: the OpenAI-compatible one or the offline one. Same tools, same executor. */
export interface Brain {
  readonly name: string;
  /** How many earlier messages it needs each turn (0: none, the state is enough). */
  readonly historyLimit: number;
  respond(turn: BrainTurn): Promise<BrainReply>;
}
