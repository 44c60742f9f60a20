import { listIntakeQuestions } from '@gomomo/core';
import { z } from 'zod';
import { describeFailure } from '../executor/failures.js';
import { defineChatTool } from './descriptor.js';
import { uuid } from './schemas.js';

/** The questions a service asks before its summary (issue 20 item 3), in the conversation's language. */
export const listIntakeTool = defineChatTool({
  name: 'list_intake',
  // Reading the catalog: the same permission as listing services.
  action: 'services.list',
  reversibility: { irreversible: false },
  contact: 'none',
  changesBooking: false,
  description:
    'After hold_slot and before the summary: the questions this service asks (key, kind, required, question, choices). Ask them one at a time and save each answer with answer_intake.',
  args: z.strictObject({ serviceId: uuid, language: z.enum(['en', 'es']).optional() }),
  guardrail: { none: 'it only reads the tenant’s own questions for one of its services' },
  handler: async (args, { scope, deps }) => {
    const questions = await listIntakeQuestions(deps.pool, { tenantId: scope.tenant.id, serviceId: args.serviceId });
    const language = args.language ?? 'en';
    return {
      questions: questions.map((q) => ({ key: q.key, kind: q.kind, required: q.required, question: q.prompt[language] ?? q.prompt.en ?? q.prompt.es ?? q.key, choices: q.choices })),
    };
  },
  status: 'thinking',
  failure: (error) => describeFailure('list_intake', error),
  summary: { none: 'it reads and changes nothing' },
});
