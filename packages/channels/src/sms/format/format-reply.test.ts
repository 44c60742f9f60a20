import { describe, expect, it } from 'vitest';
import { formatSmsReply } from './format-reply.js';
import { isGsm7 } from '../../templates/gsm7.js';
import { countSmsSegments } from './segments.js';
import { stripMarkdown, toSmsText } from './plain-text.js';

const slots = [
  { start: '2026-12-01T15:00:00-05:00', end: '2026-12-01T15:30:00-05:00', label: 'Tue Dec 1, 3:00 PM' },
  { start: '2026-12-01T15:30:00-05:00', end: '2026-12-01T16:00:00-05:00', label: 'Tue Dec 1, 3:30 PM' },
  { start: '2026-12-02T09:00:00-05:00', end: '2026-12-02T09:30:00-05:00', label: 'Wed Dec 2, 9:00 AM' },
];

describe('toSmsText', () => {
  it.each([
    ['curly quotes', '\u201CIt\u2019s booked\u201D', '"It\'s booked"'],
    ['dashes', 'Mon\u2013Fri 9\u201417', 'Mon-Fri 9-17'],
    ['ellipsis', 'One moment\u2026', 'One moment...'],
    ['bullets', '\u2022 Cleaning\n\u2022 Checkup', '- Cleaning\n- Checkup'],
    ['narrow no-break space before PM', '3:00\u202FPM', '3:00 PM'],
    ['zero-width space', 'GM\u200B-12345', 'GM-12345'],
  ])('replaces %s with GSM-7 look-alikes', (_what, input, output) => {
    const text = toSmsText(input);
    expect(text).toBe(output);
    expect(isGsm7(text)).toBe(true);
  });

  it('keeps the letters of names as written (the message then goes as UCS-2)', () => {
    expect(toSmsText('Sesión con Ángel')).toBe('Sesión con Ángel');
    expect(toSmsText('To confirm: for Łukasz Żółć.')).toBe('To confirm: for Łukasz Żółć.');
  });

  it('keeps characters with no look-alike (the message then goes as UCS-2)', () => {
    expect(toSmsText('Thanks 😀')).toBe('Thanks 😀');
  });
});

describe('stripMarkdown', () => {
  it.each([
    ['**Booked!** Your ref is `GM-AB123`.', 'Booked! Your ref is GM-AB123.'],
    ['## Your booking\nSee you *soon*', 'Your booking\nSee you soon'],
    ['* Cleaning\n+ Checkup', '- Cleaning\n- Checkup'],
    ['[Manage it](https://x.test/b/1)', 'Manage it (https://x.test/b/1)'],
    ['snake_case_name stays', 'snake_case_name stays'],
    ['2 * 3 = 6', '2 * 3 = 6'],
  ])('turns %j into %j', (input, output) => {
    expect(stripMarkdown(input)).toBe(output);
  });
});

describe('formatSmsReply', () => {
  it('renders offered slots as a numbered list the customer can answer with a number', () => {
    const text = formatSmsReply({ reply: 'Here are the next **open** times:', events: [{ type: 'status', status: 'idle' }, { type: 'slots', serviceId: 's', slots }] });
    expect(text).toBe('Here are the next open times:\n1. Tue Dec 1, 3:00 PM\n2. Tue Dec 1, 3:30 PM\n3. Wed Dec 2, 9:00 AM\nReply with the number you want.');
  });

  it('does not list the slots twice when the reply already lists them', () => {
    const reply = 'Open times:\n1. Tue Dec 1, 3:00 PM\n2. Tue Dec 1, 3:30 PM\n3. Wed Dec 2, 9:00 AM\nWhich one?';
    expect(formatSmsReply({ reply, events: [{ type: 'slots', slots }] })).toBe(reply);
  });

  it('drops the last slots, never renumbering the rest, when the list would pass three segments', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ start: `2026-12-01T${String(9 + (i % 8)).padStart(2, '0')}:00:00Z`, label: `Slot number ${i + 1} on a long day` }));
    const text = formatSmsReply({ reply: 'Times:', events: [{ type: 'slots', slots: many }] });
    expect(countSmsSegments(text)).toBeLessThanOrEqual(3);
    expect(text).toContain('1. Slot number 1 on a long day');
    expect(text).not.toContain('40. ');
    expect(text.endsWith('Reply with the number you want.')).toBe(true);
  });

  it('shortens a long reply to at most three segments', () => {
    const text = formatSmsReply({ reply: 'We are open every day. '.repeat(60), events: [] });
    expect(countSmsSegments(text)).toBe(3);
    expect(text.endsWith('...')).toBe(true);
  });

  it('ignores events it does not know', () => {
    expect(formatSmsReply({ reply: 'Done.', events: [{ type: 'booking', reference: 'GM-AB123' }, null, 'x'] })).toBe('Done.');
  });
});
