import { describe, expect, it } from 'vitest';
import { loadState, saveState } from './persist.js';
import { initialState, type WidgetState } from './state.js';

/** The Web Storage API over a Map (Node has no localStorage before v22). */
function createStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}

const conversation: WidgetState = {
  ...initialState,
  isOpen: true,
  sessionToken: 'gms_q2Yk0b3Vv9fJm1x8TtLr4WcZ7uNa5EoHs6GdPiRjK0w',
  messages: [
    { id: 'u1', role: 'user', text: 'hi' },
    { id: 'a1', role: 'assistant', text: 'Hello!' },
  ],
  isPending: true,
  status: 'thinking',
  toasts: [{ id: 't1', key: 'error.network' }],
  lastEventId: '42',
};

describe('saveState and loadState', () => {
  it('bring back the session, messages, open panel and event cursor after a reload', () => {
    const storage = createStorage();
    saveState(storage, 'gomomo:demo', conversation);
    expect(JSON.parse(storage.getItem('gomomo:demo')!)).toMatchObject({ v: 2, sessionToken: conversation.sessionToken });
    expect(loadState(storage, 'gomomo:demo')).toEqual({ ...initialState, isOpen: true, sessionToken: conversation.sessionToken, messages: conversation.messages, hold: undefined, lastEventId: '42' });
  });

  it('do not bring back what belonged to the old page view: pending flags, chips and toasts', () => {
    const storage = createStorage();
    saveState(storage, 'k', conversation);
    const loaded = loadState(storage, 'k');
    expect(loaded).toMatchObject({ isPending: false, toasts: [] });
    expect(loaded.status).toBeUndefined();
  });

  it('drop messages that had failed to send', () => {
    const storage = createStorage();
    saveState(storage, 'k', { ...conversation, messages: [...conversation.messages, { id: 'u2', role: 'user', text: 'lost', failed: true }] });
    expect(loadState(storage, 'k').messages.map((message) => message.id)).toEqual(['u1', 'a1']);
  });

  it('keep only the most recent 60 messages', () => {
    const storage = createStorage();
    const messages = Array.from({ length: 75 }, (_, index) => ({ id: `m${index}`, role: 'user' as const, text: String(index) }));
    saveState(storage, 'k', { ...conversation, messages });
    expect(loadState(storage, 'k').messages[0]?.id).toBe('m15');
  });

  it.each([
    ['nothing stored', null],
    ['corrupt JSON', '{nope'],
    ['another version', JSON.stringify({ v: 3, messages: [] })],
    ['a v1 record naming the conversation by a client-chosen id', JSON.stringify({ v: 1, isOpen: true, sessionId: '5b3c1f0e-8f7e-4f55-9d5a-2f7c7e0c9a11', messages: [] })],
  ])('start fresh with %s', (_case, raw) => {
    const storage = createStorage();
    if (raw !== null) storage.setItem('k', raw);
    expect(loadState(storage, 'k')).toEqual(initialState);
  });

  it('keep working when storage throws (private mode, quota)', () => {
    const broken = { ...createStorage(), getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('quota'); } } as Storage;
    expect(() => saveState(broken, 'k', conversation)).not.toThrow();
    expect(loadState(broken, 'k')).toEqual(initialState);
  });

  it('never stores an email or phone number the visitor typed, and leaves dates, times and codes alone', () => {
    const storage = createStorage();
    const typed = 'cancel GM-7K2PQ ana.lopez@example.com or +1 202-555-0143, code 123456 for 2026-12-01 at 9:00';
    saveState(storage, 'gomomo:demo', { ...conversation, messages: [{ id: 'u1', role: 'user', text: typed }] });
    const raw = storage.getItem('gomomo:demo')!;
    expect(raw).not.toContain('ana.lopez');
    expect(raw).not.toContain('555-0143');
    expect(JSON.parse(raw).messages[0].text).toBe('cancel GM-7K2PQ a***@example.com or •••• 0143, code 123456 for 2026-12-01 at 9:00');
  });
});
