import type { Service } from '@gomomo/core';
import MiniSearch from 'minisearch';
import type { FaqEntry } from './store.js';

export type FaqLanguage = 'en' | 'es';

/** An answer found for a question: the business's own words, or one its settings write (change deadlines). */
export interface FaqMatch {
  question: string;
  answer: string;
  source: 'tenant' | 'settings';
}

// Words that say nothing about the topic; left in, "do you have parking?" would match every entry
// that starts with "Do you".
const stopWords = new Set(
  (
    'a an and are at be can could do does for from have how i if in is it me my of on or our please the there to we what when where which who why will with would you your ' +
    'any about tell much many get need should does did am was were this that these those there here its also just like know want ' +
    'el la los las un una unos unas de del al y o en es son se que qué cual cuál como cómo donde dónde cuando cuándo hay tienen tiene tienes ustedes usted puedo puede para por con mi mis su sus me lo le les nos hola quiero saber necesito'
  ).split(' '),
);

function fold(term: string): string {
  return term.normalize('NFD').replace(/\p{Mn}/gu, '').toLowerCase();
}

/** Folded, without stop words; a light stem ("prices" → "price", "seguros" → "seguro") so plurals meet. */
function processTerm(term: string): string | null {
  const folded = fold(term);
  if (folded.length < 2 || stopWords.has(folded)) return null;
  return folded.length > 3 ? folded.replace(/(?<!s)s$/, '') : folded;
}

/**
 * What the change deadlines of the tenant's services say, as entries of their own, so "what is
 * your cancellation policy?" is answered from the settings the engine enforces, never made up.
 */
export function deadlineEntries(services: Service[]): Array<FaqMatch & { language: FaqLanguage }> {
  if (services.length === 0) return [];
  const en = services.map((s) => (s.changeDeadlineHours > 0 ? `${s.name}: up to ${s.changeDeadlineHours} hours before it starts` : `${s.name}: until it starts`));
  const es = services.map((s) => (s.changeDeadlineHours > 0 ? `${s.name}: hasta ${s.changeDeadlineHours} horas antes del inicio` : `${s.name}: hasta que empiece`));
  return [
    {
      question: 'What is your cancellation policy? Can I cancel, change, move or reschedule my appointment? How far in advance? Deadline to cancel',
      answer: `You can cancel or move an appointment here in the chat — ${en.join('; ')}.`,
      source: 'settings',
      language: 'en',
    },
    {
      question: '¿Cuál es la política de cancelación? ¿Puedo cancelar, cambiar o mover mi cita? ¿Con cuánta antelación? Plazo para cancelar',
      answer: `Puede cancelar o cambiar una cita aquí en el chat — ${es.join('; ')}.`,
      source: 'settings',
      language: 'es',
    },
  ];
}

/** The best answers to a question among the tenant's entries and its deadline entries; empty when nothing matches. */
export function searchFaq(input: { entries: FaqEntry[]; services: Service[]; question: string; language: FaqLanguage }): FaqMatch[] {
  // A tenant's answer is searched too; a settings answer only by its question, or every question
  // naming a service ("how much is a consultation?") would find the deadlines.
  const documents = [
    ...input.entries.map((e) => ({ id: `t:${e.id}`, question: e.question, body: e.answer, answer: e.answer, source: 'tenant' as const, language: e.language })),
    ...deadlineEntries(input.services).map((e, index) => ({ id: `s:${index}`, ...e, body: '' })),
  ];
  // An entry in the conversation's language (or in every language) first; another language's only when none matches.
  const search = (documentsInScope: typeof documents): FaqMatch[] => {
    const index = new MiniSearch({ fields: ['question', 'body'], storeFields: ['question', 'answer', 'source'], processTerm });
    index.addAll(documentsInScope);
    const results = index.search(input.question, {
      boost: { question: 2 },
      combineWith: 'OR',
      // Typos in longer words only: "parkng" finds parking, "fee" does not find "free".
      fuzzy: (term) => (term.length >= 6 ? 0.2 : false),
      prefix: (term) => term.length >= 4,
    });
    const best = results[0]?.score ?? 0;
    // BM25 scores are relative: keep what scores near the best, at most two.
    return results
      .filter((r) => r.score >= best * 0.6)
      .slice(0, 2)
      .map((r) => ({ question: r.question as string, answer: r.answer as string, source: r.source as FaqMatch['source'] }));
  };
  const own = search(documents.filter((d) => d.language === null || d.language === input.language));
  return own.length > 0 ? own : search(documents.filter((d) => d.language !== null && d.language !== input.language));
}
