import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { computeSlots, createInstantFormatter, overlapsAny, type Schedule } from './compute-slots.js';

const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '12:00' }));

function schedule(overrides: Partial<Schedule> = {}): Schedule {
  return {
    timeZone: 'America/New_York',
    slotIntervalMinutes: 30,
    minNoticeMinutes: 0,
    lookaheadDays: 14,
    service: { durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 },
    resources: [{ id: 'a', hours: [] }, { id: 'b', hours: [] }],
    tenantHours: weekdays,
    overrides: [],
    busy: new Map(),
    ...overrides,
  };
}

const monday = Date.parse('2026-12-07T00:00:00-05:00');
const day = { from: monday, to: monday + 86_400_000, now: monday - 86_400_000 };

describe('overlapsAny', () => {
  const busy = [{ start: 10, end: 20 }, { start: 30, end: 40 }];
  it.each([
    [0, 10, false],
    [0, 11, true],
    [20, 30, false],
    [19, 21, true],
    [25, 35, true],
    [40, 50, false],
    [5, 45, true],
  ])('[%i, %i) against [10,20) and [30,40) overlaps: %s', (start, end, expected) => {
    expect(overlapsAny(busy, start, end)).toBe(expected);
  });
});

describe('computeSlots', () => {
  it('steps through opening hours on the slot grid and lists every free resource', () => {
    const slots = computeSlots(schedule(), day);
    expect(slots.map((s) => s.start.slice(11, 16))).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00']);
    expect(slots[0]).toEqual({ start: '2026-12-07T09:00:00.000-05:00', end: '2026-12-07T10:00:00.000-05:00', resourceIds: ['a', 'b'] });
  });

  it('drops a resource from slots whose buffered range touches its busy time', () => {
    const busy = new Map([['a', [{ start: Date.parse('2026-12-07T10:00:00-05:00'), end: Date.parse('2026-12-07T10:30:00-05:00') }]]]);
    const slots = computeSlots(schedule({ busy, service: { durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 30 } }), day);
    // 09:00 + 60 min + 30 min buffer reaches 10:30 and overlaps; 10:30 starts right as the claim ends.
    expect(slots.map((s) => [s.start.slice(11, 16), s.resourceIds.join('')])).toEqual([
      ['09:00', 'b'],
      ['09:30', 'b'],
      ['10:00', 'b'],
      ['10:30', 'ab'],
      ['11:00', 'ab'],
    ]);
  });

  it('uses a resource-specific override over a tenant-wide one, and a closed override over weekly hours', () => {
    const overrides = [
      { date: '2026-12-07', resourceId: null, opens: null, closes: null },
      { date: '2026-12-07', resourceId: 'b', opens: '13:00', closes: '14:00' },
    ];
    const slots = computeSlots(schedule({ overrides }), day);
    expect(slots).toEqual([{ start: '2026-12-07T13:00:00.000-05:00', end: '2026-12-07T14:00:00.000-05:00', resourceIds: ['b'] }]);
  });

  it('follows a resource’s own weekly hours instead of the tenant’s', () => {
    const resources = [{ id: 'a', hours: [{ weekday: 1, opens: '15:00', closes: '16:00' }] }];
    expect(computeSlots(schedule({ resources }), day).map((s) => s.start)).toEqual(['2026-12-07T15:00:00.000-05:00']);
  });
});

describe('createInstantFormatter', () => {
  it.each([
    ['America/New_York', ['2026-11-01T04:30:00Z', '2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z', '2027-03-14T06:59:59.999Z', '2027-03-14T07:00:00Z', '2026-07-01T12:00:00Z']],
    ['Europe/London', ['2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z', '2027-03-28T00:59:00Z', '2027-03-28T01:00:00Z', '2026-12-31T23:59:59.999Z']],
    ['Asia/Kolkata', ['2026-12-08T03:30:00Z', '2026-12-31T20:00:00Z']],
    ['Australia/Lord_Howe', ['2026-10-03T15:29:00Z', '2026-10-03T15:30:00Z', '2027-04-03T14:30:00Z']],
    ['UTC', ['2026-12-08T03:30:00Z']],
  ])('formats instants in %s exactly as luxon does, across DST transitions', (zone, instants) => {
    const format = createInstantFormatter(zone);
    for (const instant of instants) {
      const ms = Date.parse(instant);
      expect(format(ms)).toBe(DateTime.fromMillis(ms, { zone }).toISO());
    }
  });
});
