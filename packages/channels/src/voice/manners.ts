// What the phone needs that text does not, decided in code rather than asked of a prompt: the
// read-back's "press 1 to confirm", the AM/PM question, and the words that ask for a person or a
// text message.
import { numberWords } from './spoken-numbers.js';

/** Said after every read-back that waits for a yes: keys are heard more reliably than speech. */
export const confirmKeys = 'Press 1 to confirm, or 2 to change.';

// The receptionist's read-backs that end in a question waiting for a yes to a booking change (book,
// move, cancel). A read-back names service, weekday, date and time, which the ear formatting turns
// into "Tuesday March tenth, three fifteen in the afternoon".
const consentQuestions = [/Shall I (book|cancel) it( now)?\?$/i, /^.*\bMove your .+ from .+ to .+\?$/i, /Shall I try again\?$/i, /Is that the date you want\?$/i];

/** True when the reply ends by asking the caller to approve a booking change. */
export function asksForConsent(reply: string): boolean {
  const last = reply.trim().split(/\n/).at(-1) ?? '';
  return consentQuestions.some((pattern) => pattern.test(last.trim()));
}

/**
 * A key pressed after a read-back, as the words the consent gate reads: 1 is "yes", 2 is "no".
 * Anything else is no answer (null). The mapping is the channel's: the gate (the agent's
 * decideConsent) still decides on words, so DTMF cannot say more than a spoken yes could.
 */
export function consentWordsOf(digits: string): 'yes' | 'no' | null {
  if (digits === '1') return 'yes';
  if (digits === '2') return 'no';
  return null;
}

const spokenDigits: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12 };
const dayParts = /\b(a\.?\s?m\.?|p\.?\s?m\.?|morning|afternoon|evening|tonight|night|noon|midnight|o'?clock in|mañana|tarde|noche)\b/i;
const bareHour = /\b(at|around|about|for|after|before|by)\s+(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven)(?::(\d{2}))?(?!\s*(?::|\d|%|minutes?|hours?|days?|weeks?|people|of\b))/i;

/** A time the caller said without morning or evening ("at 7"): which hour, and the words to rewrite. */
export interface AmbiguousTime {
  hour: number;
  minute: number;
  /** The words as heard ("at 7"), replaced by the resolved time once the caller answers. */
  said: string;
}

/**
 * Finds "at 7" said with no morning/evening, AM/PM or o'clock-in anywhere in the utterance. On the
 * phone this is the classic mistake (text shows "7:00 PM" for a customer to catch; speech does
 * not), so the channel asks before the receptionist guesses. Noon and 12 are not ambiguous.
 */
export function findAmbiguousTime(text: string): AmbiguousTime | null {
  if (dayParts.test(text)) return null;
  const match = bareHour.exec(text);
  if (!match) return null;
  const raw = match[2]!.toLowerCase();
  const hour = spokenDigits[raw] ?? Number(raw);
  if (!(hour >= 1 && hour <= 11)) return null;
  return { hour, minute: Number(match[3] ?? 0), said: match[0] };
}

function clockWords(hour: number, minute: number): string {
  return minute === 0 ? numberWords(hour) : `${numberWords(hour)} ${minute < 10 ? `oh ${numberWords(minute)}` : numberWords(minute)}`;
}

/** "Did you mean seven in the morning, or seven in the evening? …" */
export function askMorningOrEvening(time: AmbiguousTime): string {
  const words = clockWords(time.hour, time.minute);
  const later = time.hour <= 5 ? 'in the afternoon' : 'in the evening';
  return `Just to be sure: did you mean ${words} in the morning, or ${words} ${later}? You can also press 1 for morning or 2 for ${later.replace('in the ', '')}.`;
}

/** The caller's answer to the morning-or-evening question, or null when it answers neither. */
export function readMorningOrEvening(answer: { text: string; digits: string }): 'am' | 'pm' | null {
  if (answer.digits === '1') return 'am';
  if (answer.digits === '2') return 'pm';
  if (/\b(morning|a\.?\s?m\.?|mañana)\b/i.test(answer.text)) return 'am';
  if (/\b(evening|afternoon|night|tonight|p\.?\s?m\.?|tarde|noche)\b/i.test(answer.text)) return 'pm';
  return null;
}

/** The original words with the ambiguous time made explicit: "book me at 7" → "book me at 7:00 pm". */
export function resolveTime(text: string, time: AmbiguousTime, meridiem: 'am' | 'pm'): string {
  const explicit = `${time.said.split(/\s+/)[0]} ${time.hour}:${String(time.minute).padStart(2, '0')} ${meridiem}`;
  return text.replace(time.said, explicit);
}

/** "talk to a person", "operator", "a human", "representative", "someone real". */
export function asksForPerson(text: string): boolean {
  return /\b(operator|human|representative|receptionist please|real person|a person|someone real|somebody real|talk to (someone|somebody|staff)|speak (to|with) (someone|somebody|staff|a person))\b/i.test(text);
}

/** "text me a link", "send me a text", "can you text me". */
export function asksForTextLink(text: string): boolean {
  return /\b(text me|send me a (text|link|message)|message me|sms me|text (it|that|a link) to me)\b/i.test(text);
}

/** Spoken picks ("two", "the second one", "option one") as the digit the agent's numbered list takes. */
export function spokenPick(text: string): string | null {
  const said = text.trim().toLowerCase().replace(/[.!]$/, '');
  const match = /^(?:(?:the |option |number )?(one|two|first|second|1|2)(?: one| option)?(?: please)?)$/.exec(said);
  if (!match) return null;
  return ['one', 'first', '1'].includes(match[1]!) ? '1' : '2';
}
