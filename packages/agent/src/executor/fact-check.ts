// The business's facts in a reply (issue 20, item 4): a model may state a price, a fee or a policy
// only from what the business wrote (`answer_question`'s answers, its services' own details). A
// sentence that states an amount the turn's facts do not contain, or speaks to a policy topic
// (parking, insurance, refunds, deposits, fees, payment, preparation) with no fact on that topic
// this turn, is a false claim like "you're booked" with no booking. Questions and honest "I don't
// know"s state nothing.

/** "$40", "40 dollars", "€15.50", "15 %", "USD 20": amounts and rates, as written. */
const amountPattern = /(?:[$€£]\s?\d[\d,]*(?:\.\d+)?|\b(?:usd|eur|gbp|mxn)\s?\d[\d,]*(?:\.\d+)?|\b\d[\d,]*(?:\.\d+)?\s?(?:%|\$|€|£|(?:us )?dollars?\b|euros?\b|pesos?\b|d[oó]lares\b|usd\b|eur\b))/gi;

/** Topics on which a business has policies, English and Spanish (folded, lower case). */
const policyTopics: Array<{ topic: string; pattern: RegExp }> = [
  { topic: 'parking', pattern: /\b(park(ing)?|garage|estacionamiento|aparcamiento|aparcar|estacionar|parqueadero)\b/ },
  { topic: 'insurance', pattern: /\b(insurance|insurer|insured|seguro (medico|de salud|dental)|(su|tu|el|mi|con|sin) seguro|aseguradoras?|mutuas?)\b/ },
  { topic: 'refund', pattern: /\b(refunds?|refunded|reembolsos?|devoluci[oó]n)\b/ },
  { topic: 'deposit', pattern: /\b(deposits?|dep[oó]sitos?|se[nñ]al|anticipo)\b/ },
  { topic: 'fee', pattern: /\b(fees?|surcharges?|penalt(y|ies)|no-show|tarifas?|recargos?|penalizaci[oó]n|multa)\b/ },
  { topic: 'payment', pattern: /\b(pay(ment)?|cash|credit cards?|debit|invoice|pagar|pago|efectivo|tarjeta|factura)\b/ },
  { topic: 'preparation', pattern: /\b(fasting|empty stomach|bring (your|a|an)|arrive \d+ minutes|ayunas|ayuno|traer|llegar \d+ minutos)\b/ },
];

/** What says "I don't know" or points elsewhere: no fact stated. */
const honestNotKnowing =
  /\b(i (don'?t|do not) (know|have)|not sure|no information|can'?t (say|tell)|cannot (say|tell)|unable to (say|tell)|(please )?(ask|contact|call) (the|our) (team|staff|clinic|office|business)|no (lo )?s[eé]|no tengo|no puedo (decir|confirmar)|consulte|pregunte)\b/;

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Mn}/gu, '').toLowerCase().replace(/[\u2018\u2019]/g, "'");
}

/** The numbers of an amount ("$1,200.50" → 1200.5), to compare "$40" with "$40.00". */
function numbersOf(text: string): number[] {
  return [...text.matchAll(/\d[\d,]*(?:\.\d+)?/g)].map((m) => Number(m[0].replace(/,/g, '')));
}

/** True when the sentence states a business fact the turn's facts do not back. */
export function unbackedFact(sentence: string, facts: readonly string[]): boolean {
  if (/[?¿]\s*$/.test(sentence.trim())) return false;
  const folded = fold(sentence);
  if (honestNotKnowing.test(folded)) return false;
  const known = fold(facts.join('\n'));
  const knownNumbers = new Set(numbersOf(known));
  const amounts = folded.match(amountPattern) ?? [];
  if (amounts.some((amount) => numbersOf(amount).some((n) => !knownNumbers.has(n)))) return true;
  return policyTopics.some(({ pattern }) => pattern.test(folded) && !pattern.test(known));
}
