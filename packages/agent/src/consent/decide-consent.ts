// The customer's own words are the only evidence of consent the executor trusts: a model can set
// any flag it likes, but it cannot change what the customer typed this turn.
// One function decides consent for every irreversible action (confirm, reschedule, cancel), for the
// offline brain and for the policy's customer-confirmed check alike.
const affirmative = /^\s*(y|ya|yes|yeah|yep|yup|sure|ok|okay|k|confirm(ed)?|correct|right|exactly|absolutely|definitely|of course|please( do)?|go ahead|do it|book it|sounds (good|great|perfect)|that works|works for me|perfect|great|fine|👍)\b/i;
const negative = /^\s*(n|no|nope|nah|not|don'?t|do not|cancel that|never ?mind|stop|wait)\b/i;

/** What the customer's reply to a summary means: go ahead, don't, or ask again. */
export type ConsentDecision = { kind: 'yes' } | { kind: 'no' } | { kind: 'unclear'; reason: string };

/** Decides whether the customer's reply to the summary just shown is an unambiguous yes. */
export function decideConsent(text: string): ConsentDecision {
  if (negative.test(text)) return { kind: 'no' };
  if (affirmative.test(text)) return { kind: 'yes' };
  return { kind: 'unclear', reason: 'not a clear yes or no' };
}
