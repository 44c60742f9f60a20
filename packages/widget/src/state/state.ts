import type { BookingInfo, ChatMessage, OfferedSlot, PushEvent, TurnResult, TurnStatus } from '../types.js';
import type { StringKey } from '../i18n/strings.js';

export type ProblemKind = 'forbidden' | 'unauthorized' | 'rate_limited' | 'network' | 'generic' | 'offer_gone';

export interface Toast {
  id: string;
  key: StringKey;
}

/** A card for something that happened while the visitor was idle (pushed, or timed locally). */
export interface PushCard {
  id: string;
  key: StringKey;
  vars?: Record<string, string | number>;
  /** What "Show me" sends to the assistant, if the card offers it. */
  prompt?: string;
}

export interface HeldSlot {
  holdId: string;
  start: string;
  end: string;
  expiresAt: string;
}

export interface WidgetState {
  isOpen: boolean;
  sessionToken?: string;
  messages: ChatMessage[];
  isPending: boolean;
  status?: Exclude<TurnStatus, 'idle'> | 'booked';
  hold?: HeldSlot;
  toasts: Toast[];
  cards: PushCard[];
  /** Set when the key cannot work on this page at all: the panel says so instead of a composer. */
  blocked?: 'forbidden' | 'unauthorized';
  lastEventId?: string;
  /** The reply so far while the turn runs, from streamed `text` pieces; the turn's reply replaces it. */
  streaming?: string;
  /** "Remember me on this device": offered now (the server said so), declined for this page view, or remembered. */
  device?: 'offer' | 'declined' | 'remembered';
  /** The business turned speech on (`widget.config`); the browser must still have the APIs. */
  isSpeechOn?: boolean;
}

export type Action =
  | { type: 'open' }
  | { type: 'close' }
  | { type: 'send'; message: ChatMessage }
  | { type: 'status'; status: TurnStatus }
  /** A streamed piece of the pending reply, already through the claim check. */
  | { type: 'text'; delta: string }
  | { type: 'turn'; result: TurnResult; replyId: string }
  | { type: 'failed'; messageId: string; problem: ProblemKind; toastId: string }
  | { type: 'retry'; messageId: string }
  | { type: 'toast'; toast: Toast }
  | { type: 'dismissToast'; id: string }
  | { type: 'card'; card: PushCard }
  | { type: 'dismissCard'; id: string }
  | { type: 'push'; event: PushEvent; cardId: string }
  | { type: 'holdCleared' }
  /** An offer link was opened: its conversation (a call's comes with what was said) replaces the stored one. */
  | { type: 'offer'; history?: ChatMessage[] | undefined }
  /** The device was remembered, the offer declined, or the device forgotten (undefined). */
  | { type: 'device'; device: 'remembered' | 'declined' | undefined }
  | { type: 'config'; isSpeechOn: boolean };

export const initialState: WidgetState = { isOpen: false, messages: [], isPending: false, toasts: [], cards: [] };

const problemToasts: Record<ProblemKind, StringKey> = {
  forbidden: 'error.forbidden',
  unauthorized: 'error.unauthorized',
  rate_limited: 'error.rateLimited',
  network: 'error.network',
  generic: 'error.generic',
  offer_gone: 'error.offerGone',
};

/** Buttons for more than a handful of times stop being a shortcut. */
const maxSlotButtons = 6;

/**
 * The times worth a button: those the reply itself offers (the agent may look at twenty and
 * propose four), else the first few found.
 */
export function pickShownSlots(slots: OfferedSlot[], reply: string): OfferedSlot[] {
  const mentioned = slots.filter((slot) => reply.includes(slot.label));
  return (mentioned.length > 0 ? mentioned : slots).slice(0, maxSlotButtons);
}

function applyTurn(state: WidgetState, result: TurnResult, replyId: string): WidgetState {
  const reply: ChatMessage = { id: replyId, role: 'assistant', text: result.reply };
  let hold = state.hold;
  let booked: BookingInfo | undefined;
  for (const event of result.events) {
    if (event.type === 'slots' && event.slots.length > 0) reply.slots = pickShownSlots(event.slots, result.reply);
    if (event.type === 'hold') hold = { holdId: event.holdId, start: event.start, end: event.end, expiresAt: event.expiresAt };
    if (event.type === 'booking') {
      const { type: _type, ...info } = event;
      booked = info;
      hold = undefined;
    }
  }
  if (booked) reply.booking = booked;
  const cards = booked ? state.cards.filter((card) => card.key !== 'push.holdExpiring') : state.cards;
  return {
    ...state,
    sessionToken: result.sessionToken,
    // An empty reply: the receptionist is silent because a person holds the conversation.
    messages: result.reply === '' ? state.messages : [...state.messages, reply],
    isPending: false,
    streaming: undefined,
    status: booked?.action === 'created' || booked?.action === 'rescheduled' ? 'booked' : undefined,
    hold,
    cards,
    // The server offers on every turn until answered: a remembered device or a "no" stays as it is.
    device: state.device === 'remembered' || state.device === 'declined' ? state.device : result.device === 'offer' ? 'offer' : state.device,
  };
}

/** A team member's reply (the hand-off to a person) joins the conversation once, however often it is replayed. */
function withStaffReply(messages: ChatMessage[], event: PushEvent): ChatMessage[] {
  if (event.type !== 'conversation.staff_replied' || typeof event.payload.text !== 'string') return messages;
  const id = `s${String(event.payload.messageId)}`;
  return messages.some((message) => message.id === id) ? messages : [...messages, { id, role: 'staff', text: event.payload.text }];
}

/** Cards for domain events that matter to a visitor; everything else is ignored. */
function cardForPush(event: PushEvent, cardId: string): PushCard | undefined {
  if (event.type === 'slot.opened') return { id: cardId, key: 'push.slotOpened', prompt: 'Which times are available now?' };
  if (event.type === 'hold.expired') return { id: cardId, key: 'push.holdExpired' };
  if (event.type.startsWith('waitlist.') && event.type !== 'waitlist.joined') {
    return { id: cardId, key: 'push.waitlistOffer', prompt: 'Which times are available now?' };
  }
  return undefined;
}

/** The widget's whole state machine: pure, so it is tested without a browser. */
export function reduce(state: WidgetState, action: Action): WidgetState {
  switch (action.type) {
    case 'open':
      return { ...state, isOpen: true };
    case 'close':
      return { ...state, isOpen: false };
    case 'send':
      return { ...state, messages: [...state.messages, action.message], isPending: true, status: 'thinking', streaming: undefined };
    case 'status':
      return state.isPending && action.status !== 'idle' ? { ...state, status: action.status } : state;
    case 'text':
      // A piece arriving after its reply (the push lagged the response) has nothing left to add to.
      return state.isPending ? { ...state, streaming: (state.streaming ?? '') + action.delta } : state;
    case 'turn':
      return applyTurn(state, action.result, action.replyId);
    case 'failed': {
      const messages = state.messages.map((message) => (message.id === action.messageId ? { ...message, failed: true } : message));
      const blocked = action.problem === 'forbidden' || action.problem === 'unauthorized' ? action.problem : state.blocked;
      const toasts = blocked ? state.toasts : [...state.toasts, { id: action.toastId, key: problemToasts[action.problem] }];
      return { ...state, messages, isPending: false, status: undefined, streaming: undefined, blocked, toasts };
    }
    case 'retry':
      return { ...state, messages: state.messages.filter((message) => message.id !== action.messageId) };
    case 'toast':
      return { ...state, toasts: [...state.toasts.slice(-2), action.toast] };
    case 'dismissToast':
      return { ...state, toasts: state.toasts.filter((toast) => toast.id !== action.id) };
    case 'card':
      return state.cards.some((card) => card.key === action.card.key) ? state : { ...state, cards: [...state.cards, action.card] };
    case 'dismissCard':
      return { ...state, cards: state.cards.filter((card) => card.id !== action.id) };
    case 'push': {
      const card = cardForPush(action.event, action.cardId);
      const hold = action.event.type === 'hold.expired' ? undefined : state.hold;
      const next = { ...state, lastEventId: action.event.id, hold, messages: withStaffReply(state.messages, action.event) };
      return card ? reduce(next, { type: 'card', card }) : next;
    }
    case 'holdCleared':
      return { ...state, hold: undefined };
    case 'offer':
      return { ...initialState, isOpen: true, isPending: true, status: 'thinking', messages: action.history ?? [], device: state.device === 'remembered' ? 'remembered' : undefined, isSpeechOn: state.isSpeechOn };
    case 'device':
      return { ...state, device: action.device };
    case 'config':
      return { ...state, isSpeechOn: action.isSpeechOn };
  }
}
