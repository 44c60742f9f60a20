import type { WidgetState } from './state.js';
import { initialState } from './state.js';

// Enough history to pick a conversation back up; old messages are dropped so a long chat never
// fills the host site's storage quota (shared with the host page, ~5 MB per origin).
const maxStoredMessages = 60;

// v2: the conversation is named by the server-issued session token. A v1 record (a client-chosen
// session id, which no longer opens a conversation) is dropped: the visitor starts afresh.
interface Stored {
  v: 2;
  isOpen: boolean;
  sessionToken?: string;
  messages: WidgetState['messages'];
  hold?: WidgetState['hold'];
  lastEventId?: string;
}

/** Restores the conversation after a reload; storage that throws (private mode, sandbox) means a fresh start. */
export function loadState(storage: Storage | undefined, key: string): WidgetState {
  try {
    const raw = storage?.getItem(key);
    if (!raw) return initialState;
    const stored = JSON.parse(raw) as Partial<Stored>;
    if (stored.v !== 2 || !Array.isArray(stored.messages)) return initialState;
    const messages = stored.messages.filter((message) => !message.failed);
    return { ...initialState, isOpen: stored.isOpen === true, sessionToken: stored.sessionToken, messages, hold: stored.hold, lastEventId: stored.lastEventId };
  } catch {
    return initialState;
  }
}

// Emails and phone numbers (an international number, or any run of 9–15 digits with separators)
// are masked in the stored copy: the visitor's storage never holds their contact, even when they
// typed it in the chat (issue 20 item 2). Dates and 6-digit codes are too short to match.
const emailPattern = /([^\s@(),;:<>"']{1,64})@([^\s@(),;:<>"']+\.[^\s@(),;:<>"']+)/g;
const phonePattern = /(?:\+|\b)\d(?:[\s().-]?\d){8,14}\b/g;

/** A message's text as stored: contacts masked ("a***@clinic.example", "•••• 4567"). */
export function maskContacts(text: string): string {
  return text.replace(emailPattern, (_whole, local: string, domain: string) => `${local[0]}***@${domain}`).replace(phonePattern, (phone) => `•••• ${phone.replace(/\D/g, '').slice(-4)}`);
}

/** Saves what a reload needs: never toasts, cards or pending flags, which belong to this page view. */
export function saveState(storage: Storage | undefined, key: string, state: WidgetState): void {
  const stored: Stored = {
    v: 2,
    isOpen: state.isOpen,
    sessionToken: state.sessionToken,
    messages: state.messages.slice(-maxStoredMessages).map((message) => ({ ...message, text: maskContacts(message.text) })),
    hold: state.hold,
    lastEventId: state.lastEventId,
  };
  try {
    storage?.setItem(key, JSON.stringify(stored));
  } catch {
    // Quota exceeded or storage disabled: the chat still works, it just won't survive a reload.
  }
}

/** One plain string kept under its own key (the device token); storage that throws keeps nothing. */
export function readStored(storage: Storage | undefined, key: string): string | undefined {
  try {
    return storage?.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Writes, or with `undefined` removes, one plain string. */
export function writeStored(storage: Storage | undefined, key: string, value: string | undefined): void {
  try {
    if (value === undefined) storage?.removeItem(key);
    else storage?.setItem(key, value);
  } catch {
    // Storage disabled: the device is simply not remembered.
  }
}
