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

/** Saves what a reload needs: never toasts, cards or pending flags, which belong to this page view. */
export function saveState(storage: Storage | undefined, key: string, state: WidgetState): void {
  const stored: Stored = {
    v: 2,
    isOpen: state.isOpen,
    sessionToken: state.sessionToken,
    messages: state.messages.slice(-maxStoredMessages),
    hold: state.hold,
    lastEventId: state.lastEventId,
  };
  try {
    storage?.setItem(key, JSON.stringify(stored));
  } catch {
    // Quota exceeded or storage disabled: the chat still works, it just won't survive a reload.
  }
}
