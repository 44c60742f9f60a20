import type { ChatMessage } from '../types.js';
import type { HistoryEntry, WidgetTransport } from '../transport/transport.js';
import type { Action, WidgetState } from './state.js';

export interface PushOptions {
  transport: WidgetTransport;
  sessionToken: string;
  getState: () => WidgetState;
  dispatch: (action: Action) => void;
  nextId: (prefix: string) => string;
}

/** Failed (re)connections in a row after which SSE is taken to be blocked (a proxy, a firewall). */
const failuresBeforePolling = 3;
const pollEveryMs = 10_000;

/**
 * Replies the server has that this page never saw: the page reloaded mid-turn, or the network
 * dropped while the reply was on its way. Matched by the last reply both sides know.
 */
export function findMissedReplies(local: ChatMessage[], history: HistoryEntry[]): string[] {
  const remote = history.filter((entry) => entry.role === 'assistant' && entry.content.trim() !== '').map((entry) => entry.content);
  const localReplies = local.filter((message) => message.role === 'assistant');
  const last = localReplies[localReplies.length - 1];
  if (!last) return remote;
  const index = remote.lastIndexOf(last.text);
  return index === -1 ? [] : remote.slice(index + 1);
}

/**
 * Keeps the session live: SSE with automatic resume from the last event id, and plain HTTP
 * polling of the history and of the stored push events once SSE keeps failing. Returns a
 * function that stops everything.
 */
export function startPush(options: PushOptions): () => void {
  const { transport, sessionToken, getState, dispatch, nextId } = options;
  let failures = 0;
  let pollTimer: ReturnType<typeof setInterval> | undefined;
  let isStopped = false;

  async function syncHistory(): Promise<void> {
    try {
      const state = getState();
      if (state.isPending) return;
      const missed = findMissedReplies(state.messages, await transport.history(sessionToken));
      if (isStopped || missed.length === 0 || getState().isPending) return;
      for (const text of missed) {
        dispatch({ type: 'turn', result: { reply: text, events: [], sessionToken }, replyId: nextId('a') });
      }
    } catch {
      // Offline or refused: the next poll or reconnect tries again.
    }
  }

  async function syncEvents(): Promise<void> {
    try {
      const events = await transport.eventsSince(sessionToken, getState().lastEventId);
      for (const event of events) if (!isStopped) dispatch({ type: 'push', event, cardId: nextId('c') });
    } catch {
      // As above: the next poll tries again.
    }
  }

  const poll = () => {
    void syncHistory();
    void syncEvents();
  };

  const unsubscribe = transport.subscribe(sessionToken, {
    lastEventId: getState().lastEventId,
    onTurnEvent(event) {
      if (event.type === 'status') dispatch({ type: 'status', status: event.status });
      else if (event.type === 'text') dispatch({ type: 'text', delta: event.delta });
    },
    onPush(event) {
      dispatch({ type: 'push', event, cardId: nextId('c') });
    },
    onConnected() {
      failures = 0;
      if (pollTimer) clearInterval(pollTimer);
      pollTimer = undefined;
    },
    onTrouble() {
      failures += 1;
      if (failures >= failuresBeforePolling && !pollTimer) pollTimer = setInterval(poll, pollEveryMs);
    },
  });

  // After a reload mid-turn the reply may still be in the making: look again a little later.
  const last = getState().messages.at(-1);
  const catchUp = last?.role === 'user' && !getState().isPending ? [0, 3_000, 8_000].map((delay) => setTimeout(() => void syncHistory(), delay)) : [];

  return () => {
    isStopped = true;
    unsubscribe();
    for (const timer of catchUp) clearTimeout(timer);
    if (pollTimer) clearInterval(pollTimer);
  };
}
