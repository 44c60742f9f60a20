import { saveIntakeAnswer } from '@gomomo/core';
import { z } from 'zod';
import { describeFailure } from '../executor/failures.js';
import { defineChatTool } from './descriptor.js';
import { checkLiveHold } from './guards.js';
import { uuid } from './schemas.js';

/**
 * Saves the customer's answer to one intake question for the slot this conversation holds; the
 * booking confirmed from that hold carries it. A bad answer fails with what a good one looks like,
 * so the question is asked again. The argument's name is one the audit's redaction knows (policy
 * pii/redact.ts): answers never reach the audit log in clear.
 */
export const answerIntakeTool = defineChatTool({
  name: 'answer_intake',
  action: 'booking.hold',
  reversibility: { irreversible: false },
  contact: 'none',
  changesBooking: false,
  description: "Save the customer's answer to one question from list_intake, for the held slot. If it fails, ask the question again with the hint it gives.",
  args: z.strictObject({ holdId: uuid, questionKey: z.string().min(1).max(40), intakeAnswer: z.string().max(1000) }),
  guardrail: { check: checkLiveHold },
  handler: async (args, { scope, deps }) => {
    const saved = await saveIntakeAnswer(deps.pool, { tenantId: scope.tenant.id, holdId: args.holdId, sessionId: scope.session.id, questionKey: args.questionKey, answer: args.intakeAnswer, now: deps.clock.now() });
    return { questionKey: saved.key, saved: saved.value !== null, skipped: saved.value === null };
  },
  status: 'thinking',
  failure: (error) => describeFailure('answer_intake', error),
  summary: { none: 'it saves an answer for a hold, not a booking change' },
});
