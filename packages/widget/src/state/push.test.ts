import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../types.js';
import { findMissedReplies } from './push.js';
import type { HistoryEntry } from '../transport/transport.js';

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
