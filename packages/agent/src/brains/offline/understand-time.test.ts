import { describe, expect, it } from 'vitest';
import { formatSlotLabel } from '../../format/time.js';
import { understandTime } from './understand-time.js';

// Thursday 2026-0305 09:00 in New York.
const reference = { now: new Date('2026-03-05T14:00:00Z'), timeZone: 'America/New_York' };

describe('understandTime', () => {
  it.each([
    ['next Tuesday after 3', { date: '2026-03-10', afterMinutes: 900 }],
    ['the 14th in the morning', { date: '2026-03-14', beforeMinutes: 720 }],
    ['tomorrow at noon', { date: '2026-03-06', exactMinutes: 720 }],
    ['friday at 10:30', { date: '2026-03-06', exactMinutes: 630 }],
    ['Friday at 2pm', { date: '2026-03-06', exactMinutes: 840 }],
    ['monday at 3', { date: '2026-03-09', exactMinutes: 900 }],
    ['next week', { date: '2026-03-09', dateTo: '2026-03-15' }],
    ['today in the afternoon', { date: '2026-03-05', afterMinutes: 720, beforeMinutes: 1020 }],
    ['yesterday', { date: '2026-03-04', isPast: true }],
    ['March 3', { date: '2026-03-03', isPast: true }],
    ['Dec 20 at 10am', { date: '2026-12-20', exactMinutes: 600 }],
    ['before 11am on Monday', { date: '2026-03-09', beforeMinutes: 660 }],
    ['the 10:30 one', { exactMinutes: 630 }],
    ['I would like a consultation', {}],
  ])('reads "%s"', (text, expected) => {
    expect(understandTime(text, reference)).toEqual(expected);
  });

  it('uses the tenant zone for "today" even when UTC is already on the next day', () => {
    // 23:30 in New York is 04:30 UTC the next day.
    const late = { now: new Date('2026-03-06T04:30:00Z'), timeZone: 'America/New_York' };
    expect(understandTime('today', late)).toEqual({ date: '2026-03-05' });
  });
});

describe('formatSlotLabel', () => {
  it('shows the time in the tenant zone', () => {
    expect(formatSlotLabel('2026-03-10T20:30:00.000Z', 'America/New_York')).toBe('Tue, Mar 10, 4:30 PM');
  });
});
