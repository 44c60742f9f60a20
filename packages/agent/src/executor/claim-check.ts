/** What actually happened in this turn, according to the tools that succeeded. */
export interface TurnLedger {
  created: string[];
  rescheduled: string[];
  cancelled: string[];
  waitlisted: string[];
}

export type ClaimKind = keyof TurnLedger;

export function createLedger(): TurnLedger {
  return { created: [], rescheduled: [], cancelled: [], waitlisted: [] };
}

const claims: Array<{ kind: ClaimKind; pattern: RegExp; honest: string }> = [
  {
    kind: 'created',
    pattern: /\b(you('| a)re (all )?(booked|confirmed|set|scheduled)|(i('ve| have)|has been|have been|is( now)?|was|are( now)?|got you) (booked|confirmed|scheduled|reserved)|booked (you|it|that|your)|(booking|appointment|reservation) (is )?confirmed|confirmation (number|code))\b/i,
    honest: 'To be clear: nothing has been booked yet.',
  },
  {
    kind: 'rescheduled',
    pattern: /\b((has been|have been|is( now)?|was|i('ve| have)|i) (moved|rescheduled)|rescheduled (it|your|the)|moved (it|your|the) (appointment|booking|visit)?)\b/i,
    honest: 'To be clear: your appointment has not been moved.',
  },
  {
    kind: 'cancelled',
    pattern: /\b((has been|have been|is( now)?|was|i('ve| have)|i) (cancell?ed|canceled)|cancell?ed (it|your|the)|cancellation (is )?(confirmed|complete|done))\b/i,
    honest: 'To be clear: nothing has been cancelled.',
  },
  {
    kind: 'waitlisted',
    pattern: /\b(added you to (the|our) wait ?list|you('| a)re (now )?on (the|our) wait ?list)\b/i,
    honest: 'To be clear: you are not on the waitlist yet.',
  },
];

// Words before the claim that deny, hedge or ask ("not yet booked", "once you confirm you're
// booked", "shall I …?") make it no claim. Only the words before the match count, so "Your booking
// is confirmed and I will email you" is still a claim.
const hedge = /\b(not|n't|never|no|nothing|none|neither|nor|unable|cannot|once|if|when|after|until|will|would|shall|should|can|could|may|going to|before)\b/i;

function isClaim(sentence: string, pattern: RegExp): boolean {
  const match = pattern.exec(sentence);
  if (!match) return false;
  if (/\?\s*$/.test(sentence)) return false;
  return !hedge.test(sentence.slice(0, match.index + match[0].length));
}

/**
 * The claim check: no reply may say something was booked, moved, cancelled or waitlisted unless
 * the matching tool succeeded in this turn. Offending sentences are dropped and an honest one is
 * added, so the customer never leaves believing in an appointment that does not exist.
 */
export function correctClaims(reply: string, ledger: TurnLedger): { reply: string; corrected: ClaimKind[] } {
  const sentences = reply.match(/[^.!?\n]+[.!?]*\s*|\n+/g) ?? [reply];
  const corrected = new Set<ClaimKind>();
  const kept = sentences.filter((sentence) => {
    const lying = claims.find((claim) => ledger[claim.kind].length === 0 && isClaim(sentence, claim.pattern));
    if (lying) corrected.add(lying.kind);
    return !lying;
  });
  if (corrected.size === 0) return { reply, corrected: [] };
  const honest = claims.filter((claim) => corrected.has(claim.kind)).map((claim) => claim.honest);
  const rest = kept.join('').trim();
  const text = [rest, ...honest, rest ? '' : 'How would you like to continue?'].filter(Boolean).join(' ');
  return { reply: text, corrected: [...corrected] };
}
