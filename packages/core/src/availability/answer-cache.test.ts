import { describe, expect, it } from 'vitest';
import { createAnswerCache, estimateAnswerBytes, estimateEntryBytes } from './answer-cache.js';
import type { Availability } from './types.js';

const resourceId = '00000000-0000-4000-8000-000000000001';
const answerOf = (slots: number): Availability => ({
  timeZone: 'America/New_York',
  serviceId: '00000000-0000-4000-8000-000000000002',
  slots: Array.from({ length: slots }, () => ({ start: '2026-12-07T09:00:00.000-05:00', end: '2026-12-07T09:30:00.000-05:00', resourceIds: [resourceId] })),
});
const stamp = { version: 1, schedule: {} };

describe('createAnswerCache', () => {
  it('estimates an answer within a tenth of its JSON size', () => {
    const answer = answerOf(100);
    const actual = JSON.stringify(answer).length;
    expect(Math.abs(estimateAnswerBytes(answer) - actual)).toBeLessThan(actual / 10);
  });

  it('keeps at most maxBytes of answers, dropping the least recently used first', () => {
    const one = estimateEntryBytes('a', answerOf(10));
    const cache = createAnswerCache({ maxBytes: one * 2 });
    const [a, b, c] = [answerOf(10), answerOf(10), answerOf(10)];
    cache.set('a', { stamp, expiresAt: Infinity, answer: a });
    cache.set('b', { stamp, expiresAt: Infinity, answer: b });
    expect(cache.get('a', stamp, 0)).toBe(a); // a is now the most recently used
    cache.set('c', { stamp, expiresAt: Infinity, answer: c });
    expect(cache.get('b', stamp, 0)).toBeUndefined();
    expect(cache.get('a', stamp, 0)).toBe(a);
    expect(cache.get('c', stamp, 0)).toBe(c);
    expect(cache.bytes).toBe(one * 2);
  });

  it('never holds an answer larger than the whole bound', () => {
    const cache = createAnswerCache({ maxBytes: 100 });
    cache.set('big', { stamp, expiresAt: Infinity, answer: answerOf(10) });
    expect(cache.get('big', stamp, 0)).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });

  it('many distinct empty answers are counted at what they hold in the heap, not at 80 bytes each', () => {
    // Any instant is a new key, so a stranger can ask for as many distinct empty windows as they like.
    const maxBytes = 64 * 1024;
    const cache = createAnswerCache({ maxBytes });
    const keyOf = (i: number) => `${resourceId}|${answerOf(0).serviceId}||${new Date(Date.UTC(2026, 11, 2) + i * 1000).toISOString()}|2026-12-02T23:59:59Z`;
    for (let i = 0; i < 2000; i++) cache.set(keyOf(i), { stamp, expiresAt: Infinity, answer: answerOf(0) });
    let held = 0;
    for (let i = 0; i < 2000; i++) if (cache.get(keyOf(i), stamp, 0)) held++;
    // Measured on Node 20: about 520 bytes of heap per such entry.
    expect(held).toBeGreaterThan(0);
    expect(held * 500).toBeLessThanOrEqual(maxBytes);
  });

  it.each([
    ['another index version', { version: 2, schedule: stamp.schedule }, 0],
    ['another schedule', { version: 1, schedule: {} }, 0],
    ['its expiry instant', stamp, 1000],
  ])('forgets an answer asked for with %s', (_, asked, now) => {
    const cache = createAnswerCache();
    cache.set('k', { stamp, expiresAt: 1000, answer: answerOf(1) });
    expect(cache.get('k', asked, now)).toBeUndefined();
    expect(cache.get('k', stamp, 0)).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });
});
