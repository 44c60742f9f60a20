import { isGsm7 } from '../../templates/gsm7.js';

// Concatenated SMS (3GPP TS 23.040 §9.2.3.24.1): each part carries a 6-byte User Data Header, which
// leaves 153 GSM-7 septets or 67 UCS-2 characters per part instead of 160 or 70.
const gsm7 = { single: 160, part: 153 };
const ucs2 = { single: 70, part: 67 };
/** GSM-7 extension characters travel as ESC + character: two septets, never split across parts. */
const extension = new Set('^{}\\[~]|€\f');

/** The encoding carriers will use for `text`. */
export function smsEncoding(text: string): 'GSM-7' | 'UCS-2' {
  return isGsm7(text) ? 'GSM-7' : 'UCS-2';
}

function unitsOf(char: string, encoding: 'GSM-7' | 'UCS-2'): number {
  if (encoding === 'GSM-7') return extension.has(char) ? 2 : 1;
  // A character outside the Basic Multilingual Plane is a surrogate pair: two UCS-2 units, one emoji.
  return char.length;
}

/**
 * Splits `text` into the parts a carrier sends, never cutting an escape sequence or a surrogate
 * pair in two. One part when it fits a single SMS (160 septets or 70 UCS-2 units).
 */
export function splitSmsSegments(text: string): string[] {
  if (text === '') return [];
  const encoding = smsEncoding(text);
  const limits = encoding === 'GSM-7' ? gsm7 : ucs2;
  const chars = Array.from(text);
  const total = chars.reduce((sum, char) => sum + unitsOf(char, encoding), 0);
  if (total <= limits.single) return [text];
  const parts: string[] = [];
  let current = '';
  let used = 0;
  for (const char of chars) {
    const units = unitsOf(char, encoding);
    if (used + units > limits.part) {
      parts.push(current);
      current = '';
      used = 0;
    }
    current += char;
    used += units;
  }
  if (current !== '') parts.push(current);
  return parts;
}

/** How many SMS a carrier bills for `text`. */
export function countSmsSegments(text: string): number {
  return splitSmsSegments(text).length;
}

/**
 * `text` cut so it fits in `maxSegments` parts, ending in "..." when cut. Prefers to cut at a line
 * break, then at a space, so a reply never ends mid-word.
 */
export function fitSmsSegments(text: string, maxSegments: number): string {
  if (countSmsSegments(text) <= maxSegments) return text;
  const chars = Array.from(text);
  // The longest prefix that fits, found by bisection: counting is monotonic in the prefix length.
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (countSmsSegments(`${chars.slice(0, mid).join('').trimEnd()}...`) <= maxSegments) low = mid;
    else high = mid - 1;
  }
  const prefix = chars.slice(0, low).join('');
  const cutAt = Math.max(prefix.lastIndexOf('\n'), prefix.lastIndexOf(' '));
  // Only back off to a boundary when it costs little; a 400-character word is cut where it must be.
  const clean = cutAt > prefix.length * 0.6 ? prefix.slice(0, cutAt) : prefix;
  return `${clean.trimEnd()}...`;
}
