import { describe, expect, it } from 'vitest';
import { formatRange } from './format.js';

describe('formatRange', () => {
  it('shows the business’s own wall-clock time from the offset in the string', () => {
    expect(formatRange('2026-12-01T10:00:00-05:00', '2026-12-01T10:30:00-05:00', 'en')).toMatch(/Tue, Dec 1, 10:00\s*–\s*10:30\sAM/);
  });

  it('formats in the visitor’s language', () => {
    expect(formatRange('2026-12-01T16:00:00+01:00', '2026-12-01T16:45:00+01:00', 'es')).toMatch(/16:00\s*–\s*16:45/);
  });

  it('returns the input unchanged when it is not a date, so a bad value is visible rather than "Invalid Date"', () => {
    expect(formatRange('tomorrow', 'later', 'en')).toBe('tomorrow');
  });
});
