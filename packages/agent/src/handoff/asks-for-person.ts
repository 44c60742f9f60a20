// Asking for a person is detected here, in code, before any brain runs: a model could be talked
// out of it by a prompt, and the offline brain does not know the words. The phrases are the ones
// customers use for "let me talk to someone" in the languages the receptionist speaks (English and
// Spanish, brains/offline/spanish.ts); a bare "agent" or "operator" counts, as in phone menus.

/** The language a request for a person was made in, so the answer can be given in it. */
export type HandoffLanguage = 'en' | 'es';

const english: RegExp[] = [
  /\b(talk|speak|chat)\s+(to|with)\s+(a|an|some|the|your)?\s*(real\s+|actual\s+|live\s+)?(human|person|people|someone|somebody|agent|representative|operator|staff|manager|receptionist)\b/i,
  /\b(real|actual|live)\s+(human|person|agent|representative|operator)\b/i,
  /\b(human|person|representative|operator)\s*,?\s*please\b/i,
  /\b(get|give|put)\s+me\s+(through\s+to\s+)?(a|an)\s+(human|person|agent|representative|operator)\b/i,
  /\b(i\s+)?(want|need|would\s+like)\s+(a|an|to\s+talk\s+to\s+a)\s+(human|person|agent|representative|operator)\b/i,
  /\bare\s+you\s+a\s+(bot|robot)\b.*\b(human|person)\b/i,
  /^\s*(agent|representative|operator|human)[\s.!?]*$/i,
];

const spanish: RegExp[] = [
  /\b(hablar|comunicarme|chatear)\s+(con)\s+(una|un|alguien|el|la|algún|alguna)?\s*(persona|humano|humana|agente|representante|operador|operadora|encargad[oa]|recepcionista|alguien|empleado|empleada|gerente)\b/i,
  /\b(persona|humano|agente)\s+(real|de verdad)\b/i,
  /\b(quiero|necesito|quisiera)\s+(una\s+persona|un\s+humano|un\s+agente|un\s+representante|un\s+operador|una\s+operadora)\b/i,
  /^\s*(agente|representante|operador|operadora|humano)[\s.!?]*$/i,
];

/**
 * Whether `text` asks for a person (and in which language), or null. Tested as a table
 * (asks-for-person.test.ts), including sentences that mention people without asking for one.
 */
export function detectPersonRequest(text: string): { language: HandoffLanguage } | null {
  if (spanish.some((pattern) => pattern.test(text))) return { language: 'es' };
  if (english.some((pattern) => pattern.test(text))) return { language: 'en' };
  return null;
}
