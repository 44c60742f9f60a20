import { unbackedFact } from './fact-check.js';
import { assertionPrefaces, claimPatterns, conditionOpeners, hedgeWords, honestLines, type ClaimKind, type Lang } from './claim-patterns.js';

export type { ClaimKind } from './claim-patterns.js';

/** What actually happened in this turn, according to the tools that succeeded. */
export interface TurnLedger {
  created: string[];
  rescheduled: string[];
  cancelled: string[];
  waitlisted: string[];
  /** Every booking reference a successful tool result of this turn named (booked, found, moved, listed). */
  references: string[];
  /** The business's facts this turn may state: answers `answer_question` returned, the services' own details. */
  facts: string[];
}

export function createLedger(): TurnLedger {
  return { created: [], rescheduled: [], cancelled: [], waitlisted: [], references: [], facts: [] };
}

/** Booking references as customers and models write them: "GM-7K3Q9", "gm7k3q9". */
const referencePattern = /\bGM-?[0-9A-Z]{5}\b/gi;
// "it looks like GM-7K3Q9": a reference shown as an example of the format, not as a booking.
const exampleLead = /(looks like|like|e\.g\.|such as|for example|for instance|por ejemplo|como)\s*\(?\s*$/i;

/** The references a text names, normalised to "GM-XXXXX". */
export function findReferences(text: string): string[] {
  return [...text.matchAll(referencePattern)].filter((m) => !exampleLead.test(text.slice(Math.max(0, m.index - 30), m.index))).map((m) => normaliseReference(m[0]));
}

function normaliseReference(raw: string): string {
  return `GM-${raw.toUpperCase().replace(/^GM-?/, '')}`;
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Mn}/gu, '').toLowerCase().replace(/[\u2018\u2019]/g, "'");
}

/** The clauses of a sentence: split at commas, dashes, colons and "and"/"but"/"so"/"y"/"pero". */
function clausesOf(sentence: string): string[] {
  return fold(sentence)
    .split(/[,;:\u2013\u2014]| - | and | but | so | y | pero /)
    .map((clause) => clause.trim())
    .filter(Boolean);
}

/** The outcome a sentence claims as done, if any: a claim pattern in a clause with no denial, condition or offer. */
function claimOf(sentence: string): { kind: Exclude<ClaimKind, 'reference' | 'fact'>; lang: Lang } | null {
  if (/[?¿]\s*$/.test(sentence.trim())) return null;
  const clauses = clausesOf(sentence);
  const found: Array<{ kind: Exclude<ClaimKind, 'reference' | 'fact'>; lang: Lang }> = [];
  for (let index = 0; index < clauses.length; index++) {
    const clause = clauses[index]!;
    const claim = claimPatterns.find((c) => c.pattern.test(clause));
    if (!claim) continue;
    if (hedgeWords.test(clause.replace(assertionPrefaces, ' '))) continue;
    if (clauses.slice(0, index).some((before) => conditionOpeners.test(before))) continue;
    found.push({ kind: claim.kind, lang: claim.lang });
  }
  // "Listo, te he reservado…": the specific claim says more than the bare "done".
  return found.find((claim) => claim.kind !== 'done') ?? found[0] ?? null;
}

/** The references that back a claim of this kind: the ones this turn's tools acted on. */
function backing(kind: Exclude<ClaimKind, 'reference' | 'fact'>, ledger: TurnLedger): string[] | null {
  if (kind === 'done') {
    const all = [...ledger.created, ...ledger.rescheduled, ...ledger.cancelled, ...ledger.waitlisted];
    return all.length > 0 ? all : null;
  }
  return ledger[kind].length > 0 ? ledger[kind] : null;
}

export interface ClaimCheckOptions {
  /**
   * References the conversation's record backs beyond this turn's tools: the customer's own
   * messages, and earlier replies and tool results of the conversation (read by the caller only
   * when the reply names a reference this turn did not).
   */
  knownReferences?: Iterable<string> | undefined;
}

interface Verdict {
  kind: ClaimKind;
  lang: Lang;
}

function judge(sentence: string, context: { ledger: TurnLedger; known: Set<string> }): Verdict | null {
  const { ledger, known } = context;
  const references = findReferences(sentence);
  const claim = claimOf(sentence);
  if (claim) {
    const backed = backing(claim.kind, ledger);
    if (!backed) return claim;
    // A claim names only references its own tool acted on: "cancelled GM-B" when GM-A was.
    const acted = claim.kind === 'done' ? new Set(ledger.references) : new Set(backed);
    if (references.some((ref) => !acted.has(ref))) return claim;
    return null;
  }
  const lang: Lang = /[áéíóúñ¿¡]|\b(tu|su|la|el|de|para)\b/i.test(sentence) ? 'es' : 'en';
  if (references.some((ref) => !known.has(ref) && !ledger.references.includes(ref))) return { kind: 'reference', lang };
  if (unbackedFact(sentence, ledger.facts)) return { kind: 'fact', lang };
  return null;
}

/**
 * The claim check: no reply may say something was booked, moved, cancelled or waitlisted unless
 * the matching tool succeeded in this turn, and no reply may name a booking reference that neither
 * this turn's tools nor the conversation's record back. Offending sentences are dropped and an
 * honest one is added, so the customer never leaves believing in an appointment that does not
 * exist or a reference that was made up.
 */
export function correctClaims(reply: string, ledger: TurnLedger, options: ClaimCheckOptions = {}): { reply: string; corrected: ClaimKind[] } {
  const known = new Set([...(options.knownReferences ?? []), ...ledger.created, ...ledger.rescheduled, ...ledger.cancelled].map(normaliseReference));
  const sentences = reply.match(/[^.!?\n]+[.!?…]*\s*|\n+/g) ?? [reply];
  const corrected = new Map<ClaimKind, Lang>();
  const kept = sentences.filter((sentence) => {
    const verdict = judge(sentence, { ledger, known });
    if (verdict && !corrected.has(verdict.kind)) corrected.set(verdict.kind, verdict.lang);
    return !verdict;
  });
  if (corrected.size === 0) return { reply, corrected: [] };
  // "Done! It has been moved": the specific honest line covers the bare "done".
  if (corrected.size > 1) corrected.delete('done');
  const honest = [...corrected].map(([kind, lang]) => honestLines[kind][lang]);
  const rest = kept.join('').trim();
  const spanish = [...corrected.values()].includes('es');
  const text = [rest, ...honest, rest ? '' : spanish ? '¿Cómo quieres continuar?' : 'How would you like to continue?'].filter(Boolean).join(' ');
  return { reply: text, corrected: [...corrected.keys()] };
}

/** The references a reply names that this turn did not back: the only ones worth looking up in the record. */
export function unbackedReferences(reply: string, context: { ledger: TurnLedger; userText: string }): string[] {
  const own = new Set([...context.ledger.references, ...findReferences(context.userText)]);
  return [...new Set(findReferences(reply))].filter((ref) => !own.has(ref));
}

/**
 * True when a sentence may be shown before the turn's claim check runs: it claims no outcome and
 * names only references this turn's tools or the customer already gave. Anything else waits for
 * `correctClaims` (the streamed reply holds it back).
 */
export function isClaimFree(sentence: string, context: { ledger: TurnLedger; userText: string }): boolean {
  if (claimOf(sentence) || unbackedFact(sentence, context.ledger.facts)) return false;
  const known = new Set([...context.ledger.references, ...context.ledger.created, ...context.ledger.rescheduled, ...context.ledger.cancelled, ...findReferences(context.userText)]);
  return findReferences(sentence).every((ref) => known.has(ref));
}
