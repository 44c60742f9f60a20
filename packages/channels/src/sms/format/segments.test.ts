import { describe, expect, it } from 'vitest';
import { countSmsSegments, fitSmsSegments, smsEncoding, splitSmsSegments } from './segments.js';

describe('splitSmsSegments', () => {
  it.each([
    ['a'.repeat(160), 1],
    ['a'.repeat(161), 2],
    ['a'.repeat(306), 2],
    ['a'.repeat(307), 3],
    ['a'.repeat(459), 3],
    ['a'.repeat(460), 4],
    ['é'.repeat(70), 1],
    ['ж'.repeat(70), 1],
    ['ж'.repeat(71), 2],
    ['ж'.repeat(134), 2],
    ['ж'.repeat(135), 3],
  ])('bills %j… as %i segment(s)', (text, count) => {
    expect(countSmsSegments(text)).toBe(count);
  });

  it('counts a GSM-7 extension character as two septets', () => {
    expect(countSmsSegments('€'.repeat(80))).toBe(1);
    expect(countSmsSegments(`${'€'.repeat(80)}a`)).toBe(2);
  });

  it('never splits an escape sequence across two parts', () => {
    const parts = splitSmsSegments(`${'a'.repeat(152)}€${'b'.repeat(20)}`);
    expect(parts[0]).toBe('a'.repeat(152));
    expect(parts[1]?.startsWith('€')).toBe(true);
  });

  it('never splits an emoji (a surrogate pair) across two parts', () => {
    const parts = splitSmsSegments(`${'x'.repeat(66)}😀${'y'.repeat(10)}`);
    expect(smsEncoding(parts.join(''))).toBe('UCS-2');
    expect(parts[0]).toBe('x'.repeat(66));
    expect(parts[1]?.startsWith('😀')).toBe(true);
  });

  it('returns no parts for an empty text', () => {
    expect(splitSmsSegments('')).toEqual([]);
  });
});

describe('fitSmsSegments', () => {
  it('keeps a text that fits', () => {
    expect(fitSmsSegments('short', 3)).toBe('short');
  });

  it('cuts a long text at a word boundary, with "...", to fit three segments', () => {
    const text = 'word '.repeat(200).trim();
    const fitted = fitSmsSegments(text, 3);
    expect(countSmsSegments(fitted)).toBe(3);
    expect(fitted.endsWith('word...')).toBe(true);
    expect(fitted.length).toBeGreaterThan(440);
  });
});
