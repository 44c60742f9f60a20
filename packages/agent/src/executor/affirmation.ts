// The customer's own words are the only evidence of consent the executor trusts: a model can set
// any flag it likes, but it cannot change what the customer typed this turn.
const affirmative = /^\s*(y|ya|yes|yeah|yep|yup|sure|ok|okay|k|confirm(ed)?|correct|right|exactly|absolutely|definitely|of course|please( do)?|go ahead|do it|book it|sounds (good|great|perfect)|that works|works for me|perfect|great|fine|👍)\b/i;
const negative = /^\s*(n|no|nope|nah|not|don'?t|do not|cancel that|never ?mind|stop|wait)\b/i;

/** True when the customer's message reads as a yes ("yes please", "ok, book it", "sure"). */
export function isAffirmative(text: string): boolean {
  return affirmative.test(text) && !negative.test(text);
}

/** True when the customer's message reads as a no ("no", "nope, another time", "never mind"). */
export function isNegative(text: string): boolean {
  return negative.test(text);
}
