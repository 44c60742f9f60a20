// The SMS keyword lists carriers require (CTIA Messaging Principles and Best Practices, §5; the
// US carriers' codes of conduct). Twilio's Advanced Opt-Out uses the same default lists.

/** Whole-message keywords that revoke consent. */
export const optOutKeywords = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'] as const;
/** Whole-message keywords that restore consent. */
export const optInKeywords = ['START', 'YES', 'UNSTOP'] as const;
/** Whole-message keywords that ask who is texting and how to stop. */
export const helpKeywords = ['HELP', 'INFO'] as const;

/** What an inbound message means for consent, before it means anything for a booking. */
export type InboundIntent =
  | { kind: 'opt_out'; keyword: string; match: 'keyword' | 'phrase' }
  | { kind: 'opt_in'; keyword: string }
  | { kind: 'help'; keyword: string }
  | { kind: 'message' };

export interface ClassifyOptions {
  /**
   * Whether the sender is opted out now. "YES" restores consent only then: to an opted-in customer
   * it is the answer to the receptionist's "Shall I book it?" and must reach the conversation.
   */
  isOptedOut: boolean;
}

// Courtesy words around a keyword ("STOP please", "please stop", "stop, thanks") do not change it.
const courtesy = /\b(please|pls|plz|thanks|thank you|thx|now|asap)\b/g;

/**
 * Plain-language revocations. The FCC's 2024 consent order (FCC 24-24, 47 CFR 64.1200(a)(10))
 * requires honouring "any reasonable means" of revoking, so these count as opt-outs. Each pattern
 * names texting/messages or the opt-out itself, so "cancel my appointment" or "can I stop by at 3"
 * stay booking requests.
 */
const revocationPatterns: RegExp[] = [
  /\b(stop|quit|cease|end)\s+(texting|txting|messaging|sending|contacting|spamming|bothering)\b/,
  /\b(stop|end|no more)\s+(all\s+)?(the\s+|these\s+|your\s+)?(texts?|txts?|messages|msgs|sms|notifications|reminders)\b/,
  /\b(don'?t|do not|never)\s+(text|txt|message|sms|contact)\s+(me|us|this number|again)\b/,
  /\b(remove|take)\s+(me|my number|this number)\s+(off|from)\b/,
  /\bunsubscribe\b/,
  /\bopt(ing)?[\s-]?out\b/,
  /\bleave me alone\b/,
];

/** Upper-case letters and digits only, for comparing a whole message with a keyword. */
function toKeywordForm(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

function findKeyword(form: string, list: readonly string[]): string | undefined {
  return list.find((keyword) => keyword === form);
}

/**
 * Classifies an inbound SMS. A keyword counts only when it is the whole message, trimmed, in any
 * case, with punctuation, spaces and courtesy words ignored ("Stop.", " stop ", "STOP please",
 * "opt-out"); plain-language revocations ("please stop texting me") count anywhere in the text.
 *
 * @example classifyInboundText('cancel my appointment', { isOptedOut: false }) // → { kind: 'message' }
 */
export function classifyInboundText(text: string, options: ClassifyOptions): InboundIntent {
  const lower = text.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019]/g, "'");
  const form = toKeywordForm(lower.replace(courtesy, ' '));
  const optOut = findKeyword(form, optOutKeywords);
  if (optOut) return { kind: 'opt_out', keyword: optOut, match: 'keyword' };
  const optIn = findKeyword(form, optInKeywords);
  if (optIn && (optIn !== 'YES' || options.isOptedOut)) return { kind: 'opt_in', keyword: optIn };
  const help = findKeyword(form, helpKeywords);
  if (help) return { kind: 'help', keyword: help };
  const phrase = revocationPatterns.find((pattern) => pattern.test(lower));
  if (phrase) return { kind: 'opt_out', keyword: 'PHRASE', match: 'phrase' };
  return { kind: 'message' };
}
