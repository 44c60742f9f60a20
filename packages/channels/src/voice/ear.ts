import { numberWords, ordinalWords, spelledOut, spokenTime } from './spoken-numbers.js';

const weekdays: Record<string, string> = { Mon: 'Monday', Tue: 'Tuesday', Wed: 'Wednesday', Thu: 'Thursday', Fri: 'Friday', Sat: 'Saturday', Sun: 'Sunday' };
const months: Record<string, string> = {
  Jan: 'January', Feb: 'February', Mar: 'March', Apr: 'April', May: 'May', Jun: 'June',
  Jul: 'July', Aug: 'August', Sep: 'September', Oct: 'October', Nov: 'November', Dec: 'December',
};
const monthNames = Object.values(months).join('|');

/** The most times read out at once: a caller holds two in mind, not five. */
export const maxSpokenOptions = 2;

function time(hour: string, minute: string, meridiem: string): string {
  return spokenTime(Number(hour), Number(minute), meridiem.toUpperCase() as 'AM' | 'PM');
}

// A slot label as the agent writes it ("Tue, Mar 10, 3:15 PM") → "three fifteen in the afternoon,
// Tuesday March tenth": the time first, as people say it on the phone.
const slotLabel = /\b(?:(on) )?(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2}), (\d{1,2}):(\d{2}) ?(AM|PM)\b/g;
const longDay = new RegExp(`\\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (${monthNames}) (\\d{1,2})\\b`, 'g');
const clockTime = /\b(\d{1,2}):(\d{2}) ?(AM|PM|am|pm)\b/g;
const reference = /\bGM-?[0-9A-Z]{5}\b/g;
const phone = /\+\d{7,15}\b/g;
const url = /\bhttps?:\/\/\S+/gi;
const email = /\b[^\s@]+@[^\s@]+\.[a-z]{2,}\b/gi;

/** The numbered list the agent writes for SMS ("1. Tue, Mar 10, 3:00 PM"), read as at most two options. */
function speakList(lines: string[]): string[] {
  const out: string[] = [];
  let items: string[] = [];
  const flush = (): void => {
    if (items.length === 0) return;
    const kept = items.slice(0, maxSpokenOptions);
    out.push(kept.length === 1 ? `I have ${kept[0]}.` : `I have ${kept.slice(0, -1).join(', ')}, or ${kept.at(-1)}.`);
    items = [];
  };
  for (const line of lines) {
    const item = /^\s*(\d+)\.\s+(.*)$/.exec(line);
    if (item) {
      items.push(items.length === 0 ? item[2]!.replace(/\.$/, '') : item[2]!.replace(/\.$/, ''));
      continue;
    }
    flush();
    out.push(line);
  }
  flush();
  return out;
}

/**
 * A reply written for the screen, rewritten for the ear: at most two times offered at once, times
 * and dates in words with morning/afternoon ("ten thirty in the morning, Tuesday December first"),
 * references and numbers spelled out, no URLs, emails or symbols, one short sentence per line.
 * Pure; the receptionist's text is the input, so the same rules apply to any brain.
 *
 * @example formatForEar('Tue, Mar 10, 3:15 PM') // → 'three fifteen in the afternoon, Tuesday March tenth'
 */
export function formatForEar(text: string): string {
  const lines = speakList(text.split(/\n+/).filter((line) => line.trim() !== ''));
  return lines
    .join(' ')
    .replace(url, 'the link we text you')
    .replace(email, 'your email address')
    .replace(slotLabel, (...m: string[]) => `${m[1] ? 'at ' : ''}${time(m[5]!, m[6]!, m[7]!)}, ${weekdays[m[2]!]} ${months[m[3]!]} ${ordinalWords(Number(m[4]))}`)
    .replace(longDay, (...m: string[]) => `${m[1]}, ${m[2]} ${ordinalWords(Number(m[3]))}`)
    .replace(/(\d{1,2}:\d{2} ?(?:AM|PM))\s*[–-]\s*(\d{1,2}:\d{2} ?(?:AM|PM))/g, '$1 to $2')
    .replace(clockTime, (...m: string[]) => time(m[1]!, m[2]!, m[3]!))
    .replace(reference, (ref) => spelledOut(ref))
    .replace(phone, (number) => `the number ending ${number.slice(-4).split('').map((d) => numberWords(Number(d))).join(' ')}`)
    .replace(/\b[Rr]eply with (its|a|the) number( from 1 to \d+)?/g, 'Say or press the option number')
    .replace(/\bthe times above\b/g, 'those times')
    .replace(/[–—]/g, ', ')
    .replace(/\s*[()]\s*/g, ', ')
    .replace(/[*_#`~<>|\\[\]{}]/g, ' ')
    .replace(/&/g, ' and ')
    .replace(/\s+([,.?!])/g, '$1')
    .replace(/,\s*,/g, ',')
    .replace(/,\s*([.?!])/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim()
    .replace(/,$/, '');
}
