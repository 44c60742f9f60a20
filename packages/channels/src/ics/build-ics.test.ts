import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildIcs } from './build-ics.js';

function parseEvent(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  return { calendar, event: new ICAL.Event(vevent), vevent };
}

describe('buildIcs', () => {
  const base = {
    uid: '9f1c2d3e-0000-4000-8000-000000000001@gomomo',
    start: '2026-12-01T15:00:00-05:00',
    end: '2026-12-01T15:30:00-05:00',
    summary: 'Cleaning, polish; and check-up \\ Demo Clinic',
    description: 'Reference GM-7K3Q9\nSee you soon',
    location: 'Demo Clinic, 1 Main St',
    stamp: new Date('2026-11-20T12:00:00Z'),
  };

  it('produces an event a real iCalendar parser reads back with the same instants', () => {
    const { event, calendar } = parseEvent(buildIcs(base));
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(event.uid).toBe(base.uid);
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-12-01T20:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2026-12-01T20:30:00.000Z');
  });

  it('escapes commas, semicolons, backslashes and newlines in text (RFC 5545 §3.3.11)', () => {
    const { event } = parseEvent(buildIcs(base));
    expect(event.summary).toBe(base.summary);
    expect(event.description).toBe(base.description);
    expect(event.location).toBe(base.location);
  });

  it('folds lines longer than 75 octets without breaking multi-byte characters', () => {
    const summary = `Consulta ${'ñ'.repeat(120)} final`;
    const ics = buildIcs({ ...base, summary });
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(parseEvent(ics).event.summary).toBe(summary);
  });

  it('uses CRLF line endings throughout', () => {
    const ics = buildIcs(base);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });
});
