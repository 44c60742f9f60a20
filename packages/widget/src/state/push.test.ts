import { describe, expect, it, vi } from 'vitest';
import type { ChatMessage } from '../types.js';
import { findMissedReplies, startPush } from './push.js';
import { initialState, reduce, type WidgetState } from './state.js';
import type { HistoryEntry, WidgetTransport } from '../transport/transport.js';

const user = (text: string): ChatMessage => ({ id: text, role: 'user', text });
const reply = (text: string): ChatMessage => ({ id: text, role: 'assistant', text });
const history = (...entries: [HistoryEntry['role'], string][]): HistoryEntry[] => entries.map(([role, content], id) => ({ id, role, content }));

describe('findMissedReplies', () => {
  it.each([
    ['a reload before the first reply arrived', [user('hi')], history(['user', 'hi'], ['assistant', 'Hello!']), ['Hello!']],
    ['a reply lost in a network drop', [user('hi'), reply('Hello!'), user('book')], history(['user', 'hi'], ['assistant', 'Hello!'], ['user', 'book'], ['assistant', 'Which day?']), ['Which day?']],
    ['nothing missed', [user('hi'), reply('Hello!')], history(['user', 'hi'], ['assistant', 'Hello!']), []],
    ['a history that does not contain our last reply (another session)', [reply('Bonjour')], history(['assistant', 'Hello!']), []],
    ['empty assistant turns (tool calls) are skipped', [user('hi')], history(['assistant', ' '], ['assistant', 'Hello!']), ['Hello!']],
  ])('handles %s', (_case, local, remote, expected) => {
    expect(findMissedReplies(local, remote)).toEqual(expected);
  });
});

describe('startPush', () => {
  it('polls the stored push events over HTTP once SSE keeps failing, resuming after the last event seen', async () => {
    vi.useFakeTimers();
    try {
      const asked: (string | undefined)[] = [];
      const transport: WidgetTransport = {
        send: () => Promise.reject(new Error('unused')),
        history: () => Promise.resolve([]),
        async eventsSince(_sessionToken, afterId) {
          asked.push(afterId);
          return afterId === '7' ? [{ id: '8', type: 'slot.opened', payload: {} }] : [];
        },
        subscribe(_sessionToken, handlers) {
          for (let i = 0; i < 3; i++) handlers.onTrouble(new Error('SSE blocked by a proxy'));
          return () => undefined;
        },
        isOriginRefused: () => Promise.resolve(false),
      };
      let state: WidgetState = { ...initialState, lastEventId: '7' };
      const stop = startPush({ transport, sessionToken: 's-1', getState: () => state, dispatch: (action) => (state = reduce(state, action)), nextId: (p) => `${p}-1` });
      await vi.advanceTimersByTimeAsync(10_000);
      expect(asked).toEqual(['7']);
      expect(state.lastEventId).toBe('8');
      expect(state.cards).toHaveLength(1);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
