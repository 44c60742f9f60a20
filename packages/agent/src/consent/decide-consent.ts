// The customer's own words are the only evidence of consent the executor trusts: a model can set
// any flag it likes, but it cannot change what the customer typed this turn.
// One function decides consent for every irreversible action (confirm, reschedule, cancel), for the
// offline brain and for the policy's customer-confirmed check alike. It is a decision, not a first
// word: "Fine, don't cancel it." starts like a yes and is a no. The table in
// decide-consent.test.ts is the spec.
import { affirmations, actionVerbs, courtesies, fillers, hedges, negations, restatedYes, unsure, type ConsentAction } from './phrases.js';

export type { ConsentAction } from './phrases.js';

/** What the customer's reply to a summary means: go ahead, don't, or ask again. */
export type ConsentDecision = { kind: 'yes' } | { kind: 'no' } | { kind: 'unclear'; reason: string };

/** What the reply answers, when the caller knows it. */
export interface ConsentOptions {
  /**
   * The action the summary asked about. "Cancel it" is a yes to "Shall I cancel it?" and not to
   * "Shall I book it?": with no action given, a verb alone counts only for booking ("book it"),
   * and "cancel it" / "move it" need a yes word before them ("yes, cancel it").
   */
  action?: ConsentAction | undefined;
  /**
   * The booking reference of the summary just shown. A sentence that names another reference is
   * about that other booking ("I also have GM-KSUQC, that one stays as it is") and is left out.
   */
  reference?: string | undefined;
}

const referencePattern = /\bgm-?[0-9a-z]{5}\b/gi;

/** Lower case, one kind of apostrophe, accents folded ("sí" is kept apart first: it is a yes, "si" may be an "if"). */
function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02BC`´]/g, "'")
    .replace(/(?<!\p{L})sí(?!\p{L})/gu, 'yes')
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Sentences that name a reference other than the summary's are about another booking. */
function dropOtherReferences(text: string, reference: string | undefined): string {
  if (!reference) return text;
  const own = reference.toUpperCase().replace(/^GM-?/, '');
  return (text.match(/[^.!;\n]+[.!;\n]*/g) ?? [text])
    .filter((sentence) => [...sentence.matchAll(referencePattern)].every((m) => m[0].toUpperCase().replace(/^GM-?/, '') === own))
    .join(' ');
}

// "si" without an accent is "yes" as the first word or among other yes words ("si, si claro"),
// and "if" anywhere else ("solo si", "sí, si es con…"): a condition.
function hasConditionalSi(text: string): boolean {
  const words = text.split(/[^\p{L}']+/u).filter(Boolean);
  const yesWords = ['si', 'yes', 'claro', 'ok', 'vale', 'por', 'favor'];
  return words.some((word, index) => word === 'si' && index > 0 && !(yesWords.includes(words[index - 1]!) && (index === words.length - 1 || yesWords.includes(words[index + 1]!))));
}

function startsWithAffirmation(text: string): boolean {
  let rest = text.replace(/^[^\p{L}\p{N}\u{1F44D}\u2705]+/u, '');
  // "Please", "well then", "oh": words that carry no decision of their own.
  for (let guard = 0; guard < 4; guard++) {
    const filler = fillers.exec(rest);
    if (!filler) break;
    rest = rest.slice(filler[0].length).replace(/^[^\p{L}\p{N}\u{1F44D}\u2705]+/u, '');
  }
  return affirmations.test(rest);
}

/**
 * Decides whether the customer's reply to the summary just shown is an unambiguous yes. Any
 * negation ("don't", "keep it", "rather not", "no"), hedge ("wait", "actually", "hmm", "maybe"),
 * condition ("only if", "but") or question ("?") is not a yes; a "no" is `no`, the rest `unclear`.
 * English and Spanish.
 *
 * @example decideConsent('Fine, don\'t cancel it.') // → { kind: 'no' }
 * @example decideConsent('yes, 10am is perfect') // → { kind: 'yes' }
 */
export function decideConsent(text: string, options: ConsentOptions = {}): ConsentDecision {
  const said = normalise(dropOtherReferences(text, options.reference)).replace(courtesies, ' ').trim();
  if (said === '') return { kind: 'unclear', reason: 'empty reply' };
  if (unsure.test(said)) return { kind: 'unclear', reason: 'the customer is unsure' };
  if (negations.test(said) || /^\s*(👎|❌)/u.test(said)) return { kind: 'no' };
  if (/[?¿]/.test(said)) return { kind: 'unclear', reason: 'the reply is a question' };
  if (hedges.test(said) || hasConditionalSi(said)) return { kind: 'unclear', reason: 'the reply hedges, sets a condition or asks for something else' };
  const verbs = Object.entries(actionVerbs) as Array<[ConsentAction, RegExp]>;
  // Only a caller that knows the summary's action can tell "cancel it" is about another one.
  const otherAction = options.action ? verbs.find(([action, pattern]) => action !== options.action && pattern.test(said)) : undefined;
  if (otherAction) return { kind: 'unclear', reason: `the reply names another action (${otherAction[0]})` };
  const ownVerb = actionVerbs[options.action ?? 'confirm'];
  if (startsWithAffirmation(said) || restatedYes.test(said) || ownVerb.test(said)) return { kind: 'yes' };
  return { kind: 'unclear', reason: 'not a clear yes or no' };
}
