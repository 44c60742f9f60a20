// Numbers as a text-to-speech voice should say them. TTS engines read "3:15 PM" and "Mar 10" in
// ways that vary by engine and voice; words leave nothing to guess.

const ones = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const tens = ['', '', 'twenty', 'thirty', 'forty', 'fifty'];
const ordinalOnes = ['', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth'];

/** 0–59 in words: "forty-five". */
export function numberWords(n: number): string {
  if (n < 20) return ones[n]!;
  const unit = n % 10;
  return unit === 0 ? tens[Math.floor(n / 10)]! : `${tens[Math.floor(n / 10)]!}-${ones[unit]!}`;
}

/** 1–31 as an ordinal: "twenty-first". */
export function ordinalWords(n: number): string {
  if (n < 20) return ordinalOnes[n]!;
  if (n % 10 === 0) return n === 20 ? 'twentieth' : 'thirtieth';
  return `${tens[Math.floor(n / 10)]!}-${ordinalOnes[n % 10]!}`;
}

/** The part of the day a 24-hour clock hour falls in, as a caller says it. */
function partOfDay(hour24: number): string {
  if (hour24 < 12) return 'in the morning';
  if (hour24 < 17) return 'in the afternoon';
  return 'in the evening';
}

/**
 * A clock time for the ear, always with its part of the day: "ten thirty in the morning",
 * "three in the afternoon", "four oh five in the afternoon", "noon". Never "3:00 PM", which a
 * caller can mishear as "three" alone.
 */
export function spokenTime(hour12: number, minute: number, meridiem: 'AM' | 'PM'): string {
  const hour24 = (hour12 % 12) + (meridiem === 'PM' ? 12 : 0);
  if (hour24 === 12 && minute === 0) return 'noon';
  if (hour24 === 0 && minute === 0) return 'midnight';
  const minutes = minute === 0 ? '' : minute < 10 ? ` oh ${numberWords(minute)}` : ` ${numberWords(minute)}`;
  return `${numberWords(hour12)}${minutes} ${partOfDay(hour24)}`;
}

/** Digits read one by one ("GM-7K3Q9" → "G M, 7 K 3 Q 9"), so a caller can write them down. */
export function spelledOut(text: string): string {
  return text
    .replace(/[^0-9a-z]/gi, ' ')
    .trim()
    .split(/\s+/)
    .map((part) => part.split('').join(' '))
    .join(', ');
}
