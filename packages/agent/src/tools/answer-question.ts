import { z } from 'zod';
import { describeFailure } from '../executor/failures.js';
import { searchFaq } from '../faq/search.js';
import { listFaqEntries } from '../faq/store.js';
import { defineChatTool } from './descriptor.js';

/**
 * The business's own answers (parking, prices, insurance, preparation, policies). Read-only: the
 * receptionist may state a business fact only from what this returns (the claim check holds it to
 * that: an amount or policy it did not return is corrected).
 */
export const answerQuestionTool = defineChatTool({
  name: 'answer_question',
  action: 'faq.answer',
  reversibility: { irreversible: false },
  contact: 'none',
  changesBooking: false,
  description:
    "Look up the business's own answer to a customer's question (parking, prices, insurance, preparation, cancellation policy, anything about the business). Answer only from the answers returned, in the customer's language; when none is returned, say you don't know and offer to help otherwise. Never state a business fact (a price, a fee, a policy) this did not return.",
  args: z.strictObject({
    question: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
    language: z.enum(['en', 'es']).optional(),
  }),
  guardrail: { none: 'it reads only what the business published for its customers and changes nothing' },
  handler: async (args, { scope, deps }) => {
    const entries = await listFaqEntries(deps.pool, scope.tenant.id);
    const answers = searchFaq({ entries, services: scope.services, question: args.question, language: args.language ?? 'en' });
    // What the reply may now state as the business's facts (executor/fact-check.ts).
    scope.ledger.facts.push(...answers.map((a) => a.answer));
    if (answers.length === 0) return { answers, note: 'The business has written no answer to this. Say you do not know, and offer to help with appointments instead.' };
    return { answers };
  },
  status: 'thinking',
  failure: (error) => describeFailure('answer_question', error),
  summary: { none: 'it reads and changes nothing' },
});
