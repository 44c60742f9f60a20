import { describe, expect, it } from 'vitest';
import { buildIcs, toIcsDataUrl } from './ics.js';

const event = {
  reference: 'GM-7K2QX',
  start: '2026-12-01T10:00:00-05:00',
  end: '2026-12-01T10:30:00-05:00',
  summary: 'Consultation',
  domain: 'api.gomomo.example',
  now: new Date('2026-11-20T12:00:00Z'),
};

describe('buildIcs', () => {
  it('writes one VEVENT with UTC times, a stable UID and CRLF line endings (RFC 5545)', () => {
    const ics = buildIcs(event);
    expect(ics.split('\r\n')).toEqual(
      expect.arrayContaining(['BEGIN:VEVENT', 'UID:GM-7K2QX@api.gomomo.example', 'DTSTAMP:20261120T120000Z', 'DTSTART:20261201T150000Z', 'DTEND:20261201T153000Z', 'SUMMARY:Consultation', 'END:VEVENT']),
    );
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/\n/);
  });

  it('escapes commas, semicolons and backslashes in text', () => {
    expect(buildIcs({ ...event, summary: 'Cut, wash; style \\ dry' })).toContain('SUMMARY:Cut\\, wash\\; style \\\\ dry');
  });

  it('folds lines longer than 75 octets without splitting a character', () => {
    const ics = buildIcs({ ...event, summary: 'Limpieza dental con revisión completa y radiografías panorámicas incluidas ñ'.repeat(2) });
    for (const line of ics.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain('radiografías panorámicas incluidas ñLimpieza');
  });
});

describe('toIcsDataUrl', () => {
  it('encodes the file as a text/calendar data URL', () => {
    const url = toIcsDataUrl('BEGIN:VCALENDAR\r\n');
    expect(url.startsWith('data:text/calendar;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(url.split(',')[1]!)).toBe('BEGIN:VCALENDAR\r\n');
  });
});
