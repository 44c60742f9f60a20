import type { Service } from '@gomomo/core';
import { decideConsent, type ConsentDecision } from '../../consent/decide-consent.js';
import { isAffirmative, isNegative } from '../../executor/affirmation.js';

export type Intent = 'book' | 'reschedule' | 'cancel' | 'waitlist' | 'lookup';

/** What one customer message says, as far as simple, predictable rules can tell. */
export interface Understanding {
  intent: Intent | null;
  service: Service | null;
  email: string | null;
  phone: string | null;
  name: string | null;
  reference: string | null;
  /** 0-based index of an offered slot picked by number ("2", "the second one"). */
  choice: number | null;
  /** The reply read as an answer to a summary (decideConsent). */
  consent: ConsentDecision;
  isYes: boolean;
  isNo: boolean;
  /** Written in Spanish, as far as its words tell. */
  isSpanish: boolean;
  /** Written in English words a Spanish message would not use (switches a Spanish conversation back). */
  isEnglish: boolean;
  /** Written in a language the offline brain does not speak. */
  isForeign: boolean;
  /** "another time", "something else", "later". */
  wantsOther: boolean;
  isInjection: boolean;
  isGreeting: boolean;
  isThanks: boolean;
  asksHours: boolean;
  asksServices: boolean;
  asksIdentity: boolean;
}

const emailPattern = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const phonePattern = /(?:\+\d[\d\s().-]{7,}\d|\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4})/;
const referencePattern = /\bGM-?[0-9A-Z]{5}\b/i;

// Attempts to talk the receptionist out of its rules. It has no tool that could do harm here, but
// it should say so plainly instead of playing along.
const injection =
  /\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(rules|instructions|prompt|guardrails|policy|policies)\b|\byou are now\b|\b(act|pretend|behave) (as|like|to be)\b.{0,20}\b(admin|administrator|developer|root|staff|owner|system)\b|\b(admin|developer|god|debug) mode\b|\bsystem prompt\b|\b(cancel|delete|remove|wipe)\b.{0,15}\b(all|every|everyone'?s?|other people'?s?)\b.{0,15}\b(bookings?|appointments?)\b|\b(show|list|give|tell)\b.{0,12}\b(all|every|everyone'?s?|other (people|customers|patients)'?s?)\b.{0,12}\b(bookings?|appointments?|customers|patients|emails?|phone numbers?)\b/i;

const ordinals: Record<string, number> = { first: 0, '1st': 0, second: 1, '2nd': 1, third: 2, '3rd': 2, fourth: 3, '4th': 3, fifth: 4, '5th': 4 };

function readChoice(text: string): number | null {
  const bare = text.trim().match(/^(?:option|number|no\.?|#)?\s*([1-9])\s*[.)!]?$/i);
  if (bare) return Number(bare[1]) - 1;
  const named = text.match(/\b(?:option|number|#)\s*([1-9])\b/i);
  if (named) return Number(named[1]) - 1;
  const ordinal = text.match(/\b(?:the\s+)?(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th)\s+(?:one|option|slot|time)\b/i) ?? text.trim().match(/^(?:the\s+)?(first|second|third|fourth|fifth)$/i);
  if (ordinal) return ordinals[ordinal[1]!.toLowerCase()] ?? null;
  return null;
}

/** Normalises a national or international number to E.164 (US/Canada default for 10 digits). */
export function normalisePhone(raw: string): string | null {
  const digits = raw.replace(/\D/g, '');
  if (raw.trim().startsWith('+')) return digits.length >= 7 && digits.length <= 15 ? `+${digits}` : null;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return null;
}

// Names are kept as written: letters and marks of any script, apostrophes and hyphens ("Zoë
// Ågren", "Nguyễn Thị Minh Khai", "李雷", "O'Brien-Smith"). Emoji are dropped, never the letters
// around them. Boundaries are Unicode-aware: JavaScript's \b only knows ASCII letters.
const emoji = /\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}]|\u200D|\uFE0F/gu;
const nameWord = String.raw`[\p{L}\p{M}][\p{L}\p{M}'\u2019-]*`;
// Further words of a name start with a capital (or are in a script without case: 李雷), possibly
// after a particle ("van", "de la"), so "I'm Ana and I need…" stops at "Ana".
const nameTail = new RegExp(String.raw`^(?:\s+(?:(?:van|von|de|del|der|den|da|di|du|la|le|dos|das|bin|ibn|al|ter|ten)\s+){0,2}[\p{Lu}\p{Lt}\p{Lo}][\p{L}\p{M}'\u2019-]*)`, 'u');
const nameLead = /(?<![\p{L}\p{M}])(?:my name is|my name's|name is|i am|i'm|i’m|this is|it's|it’s|call me)\s+/iu;

function withoutEmoji(text: string): string {
  return text.replace(emoji, ' ').replace(/[ \t]{2,}/g, ' ');
}

function readName(text: string): string | null {
  const clean = withoutEmoji(text);
  const lead = nameLead.exec(clean);
  if (!lead) return null;
  const rest = clean.slice(lead.index + lead[0].length);
  const first = new RegExp(`^${nameWord}`, 'u').exec(rest);
  if (!first) return null;
  let name = first[0];
  let tail = rest.slice(name.length);
  for (let words = 1; words < 4; words++) {
    const next = nameTail.exec(tail);
    if (!next) break;
    name += next[0];
    tail = tail.slice(next[0].length);
  }
  // "I'm free", "I'm looking" are not names; a name is capitalised or follows "my name is".
  if (/^(free|looking|available|busy|sorry|not|fine|good|here|ok|okay|trying|interested|new|a|an|the|calling)$/i.test(first[0])) return null;
  return name.replace(/\s+/g, ' ').trim().normalize('NFC');
}

const detailWords = /(?<![\p{L}\p{M}])(and|my|email|phone|number|is|it's|name|here|you can reach me at|at)(?![\p{L}\p{M}])/giu;

/** Leftover words of a details message ("Ana Silva, ana@x.com") read as a name, if they look like one. */
export function readBareName(text: string): string | null {
  const rest = withoutEmoji(text.replace(emailPattern, ' ').replace(phonePattern, ' '))
    .replace(detailWords, ' ')
    .replace(/[^\p{L}\p{M}'\u2019 -]/gu, ' ')
    .trim()
    .replace(/\s+/g, ' ');
  const words = rest.split(' ').filter((w) => /[\p{L}]/u.test(w));
  if (words.length < 1 || words.length > 4 || words.some((w) => w.length > 30)) return null;
  if (isAffirmative(rest) || isNegative(rest)) return null;
  return words.join(' ').normalize('NFC');
}

function matchService(text: string, services: Service[]): Service | null {
  const words = text.toLowerCase().split(/[^a-z]+/).filter((w) => w.length >= 5);
  for (const service of services) {
    if (text.toLowerCase().includes(service.name.toLowerCase())) return service;
  }
  for (const service of services) {
    const keys = service.name.toLowerCase().split(/[^a-z]+/).filter((w) => w.length >= 5);
    if (keys.some((key) => words.some((word) => word.slice(0, 5) === key.slice(0, 5)))) return service;
  }
  return null;
}

// "When is my appointment?" asks for the time of a booking; it does not start a new one.
const asksWhen = /\b(when|what time|what day)\b.{0,20}\b(is|was|'s)\b.{0,10}\bmy\b.{0,20}\b(appointment|booking|visit|reservation)\b|\b(check|look up|confirm|find)\b.{0,10}\bmy\b.{0,10}\b(appointment|booking|reservation)\b|\b(do|did) i have\b.{0,10}\b(an? )?(appointment|booking)\b|\b(cu[aá]ndo|a qu[eé] hora)\b.{0,20}\bmi (cita|reserva)\b/i;

function readIntent(text: string, reference: string | null): Intent | null {
  if (/\bwait\s?(ing)?\s?list\b|\blista de espera\b/i.test(text)) return 'waitlist';
  if (asksWhen.test(text)) return 'lookup';
  if (/\b(reprogramar|cambiar|mover|aplazar)\b/i.test(text)) return 'reschedule';
  if (/\b(cancelar|anular)\b/i.test(text)) return 'cancel';
  if (/\b(reservar|agendar|pedir (una )?cita|una cita|hacer una reserva)\b/i.test(text)) return 'book';
  if (/\b(reschedul\w*|postpone)\b/i.test(text) || (reference && /\b(move|change|shift|push)\b/i.test(text)) || /\b(move|change|shift|push)\b.{0,20}\b(appointment|booking|visit|reservation|it)\b/i.test(text)) return 'reschedule';
  if (/\bcancel\w*\b/i.test(text) && (/\b(appointment|booking|reservation|visit)\b/i.test(text) || reference || /\b(want|need|like|have|wanna)\s+to\s+cancel\b/i.test(text))) return 'cancel';
  if (/\b(book|booking|appointment|schedule|reserve|availab\w*|openings?|slots?|come in|see (a|the) doctor|visit)\b/i.test(text)) return 'book';
  return null;
}

// Words that only Spanish uses in a booking chat (English shares "no", "a", "me").
const spanishWords = /\b(hola|buenas|buenos d[ií]as|quiero|quisiera|quer[ií]a|necesito|puedo|podr[ií]a|cita|reservar|agendar|ma[ñn]ana|tarde|lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo|horario|abiertos?|cancelar|cambiar|gracias|por favor|vale|de acuerdo|semana|pr[oó]xim[oa]|correo|nombre|llamo|soy|lista de espera|a las|el d[ií]a|hoy|ayer|claro|est[aá] bien)\b/i;

function isSpanish(text: string): boolean {
  // Not "ñ" alone: names keep their letters (José Núñez writes English too).
  return spanishWords.test(text) || /[¿¡]/.test(text);
}

// Other languages the offline brain does not speak: a script other than Latin, or words only
// French, German, Italian or Portuguese use in a booking chat. Names in any script are still
// accepted where a name is asked for (the caller checks the step).
const foreignWords = /\b(bonjour|je voudrais|rendez-vous|s'il vous pla[iî]t|merci|guten tag|ich m[öo]chte|einen termin|termin|bitte|danke|buongiorno|vorrei|appuntamento|grazie|ol[aá] bom dia|gostaria|marcar uma|obrigad[oa]|consulta amanh[ãa])\b/i;

function isForeign(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, '');
  const nonLatin = text.replace(/[^\p{L}]|\p{Script=Latin}/gu, '');
  return foreignWords.test(text) || (letters.length >= 4 && nonLatin.length / letters.length > 0.5);
}

/** Reads one message against the tenant's services. */
export function understand(text: string, services: Service[]): Understanding {
  const email = text.match(emailPattern)?.[0]?.toLowerCase() ?? null;
  const phoneRaw = text.replace(emailPattern, ' ').match(phonePattern)?.[0];
  const referenceRaw = text.match(referencePattern)?.[0] ?? null;
  const reference = referenceRaw ? `GM-${referenceRaw.toUpperCase().replace(/^GM-?/, '')}` : null;
  const consent = decideConsent(text);
  return {
    intent: readIntent(text, reference),
    service: matchService(text, services),
    email,
    phone: phoneRaw ? normalisePhone(phoneRaw) : null,
    name: readName(text.replace(emailPattern, ' ')),
    reference,
    choice: readChoice(text),
    consent,
    isYes: consent.kind === 'yes',
    isNo: consent.kind === 'no',
    isSpanish: isSpanish(text),
    isEnglish: !isSpanish(text) && /\b(the|please|would|like|want|book|my|what|when|is|are|can|you)\b/i.test(text),
    isForeign: isForeign(text),
    wantsOther: /\b(another|other|different|else|later|earlier|none of (these|those|them))\b/i.test(text),
    isInjection: injection.test(text),
    isGreeting: /^\s*(hi|hello|hey|good (morning|afternoon|evening)|howdy|hiya)\b/i.test(text),
    isThanks: /\b(thanks|thank you|thx|cheers|appreciate it)\b/i.test(text),
    asksHours: /\b(opening hours|business hours|your hours|what are (your|the) hours|when are you open|are you open|what time do you (open|close)|open on|closed on|hours|horarios?|abr[eí]s|abren|est[aá]n abiertos|qu[eé] hora abren)\b/i.test(text),
    asksServices: /\b(what|which) (services|treatments|appointments)\b|\bservices (do|can) you\b|\bwhat do you (offer|do)\b|\bhow much\b|\bprices?\b|\bcosts?\b/i.test(text),
    asksIdentity: /\b(are you (a )?(bot|robot|human|real|person|ai|machine)|who are you|am i (talking|speaking) to)\b/i.test(text),
  };
}
