import { describe, expect, it } from 'vitest';
import { describeWhatHappensNext, findNextOpening } from './what-happens-next.js';

// Monday to Friday 9:00–17:00 in New York.
const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '17:00' }));
const zone = 'America/New_York';

describe('findNextOpening', () => {
  it.each([
    ['2026-03-05T15:00:00Z', true, '2026-03-05T10:00'], // Thursday 10:00, open
    ['2026-03-05T23:30:00Z', false, '2026-03-06T09:00'], // Thursday 18:30 → Friday 9:00
    ['2026-03-06T23:00:00Z', false, '2026-03-09T09:00'], // Friday 18:00 → Monday 9:00 (after the DST change)
    ['2026-03-05T12:00:00Z', false, '2026-03-05T09:00'], // Thursday 7:00 → the same day at 9:00
  ])('at %s is open now: %s, next %s', (now, isOpenNow, local) => {
    const next = findNextOpening(weekdays, { now: new Date(now), timeZone: zone })!;
    expect(next.isOpenNow).toBe(isOpenNow);
    expect(next.at.toFormat("yyyy-MM-dd'T'HH:mm")).toBe(local);
  });

  it('is null without weekly hours', () => {
    expect(findNextOpening([], { now: new Date('2026-03-05T15:00:00Z'), timeZone: zone })).toBeNull();
  });
});

describe('describeWhatHappensNext', () => {
  it('promises a reply here during business hours', () => {
    expect(describeWhatHappensNext(weekdays, { now: new Date('2026-03-05T15:00:00Z'), timeZone: zone, language: 'en' })).toMatch(/a team member will reply here shortly/);
  });

  it('says when, in the tenant zone, outside business hours (English and Spanish)', () => {
    const friday = new Date('2026-03-06T23:00:00Z');
    expect(describeWhatHappensNext(weekdays, { now: friday, timeZone: zone, language: 'en' })).toContain('when we open, Monday, March 9 at 9:00 AM');
    expect(describeWhatHappensNext(weekdays, { now: friday, timeZone: zone, language: 'es' })).toContain('cuando abramos, el lunes 9 de marzo a las 9:00');
  });
});
