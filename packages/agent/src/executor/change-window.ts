import type { ChangeWindowDecision, Verification } from '@gomomo/core';
import { chatToolArgs, checkGuardrails, isBookingChange, type ChatToolArgs, type ChatToolName } from '../tools/definitions.js';
import type { ExecutorDeps, GuardName, ToolScope } from './types.js';

/**
 * Refusals that still leave the caller's proof acceptable. Any other guard (the wrong-contact limit
 * above all) means core is not asked: a refusal naming the start time would otherwise tell a
 * guesser past the limit that their email or phone was right.
 */
const proofNeutralGuards: ReadonlySet<GuardName> = new Set(['far-date']);

function isProofAcceptable(name: ChatToolName, args: unknown, context: { scope: ToolScope; deps: ExecutorDeps }): boolean {
  const parsed = chatToolArgs[name].safeParse(args);
  if (!parsed.success) return false;
  const refusal = checkGuardrails(name, parsed.data as ChatToolArgs<typeof name>, context);
  return refusal === null || proofNeutralGuards.has(refusal.guard);
}

function proofOf(args: Record<string, unknown>): Verification | undefined {
  // Same precedence as the handlers: the email when given, else the phone.
  if (typeof args.email === 'string' && args.email !== '') return { email: args.email };
  if (typeof args.phone === 'string' && args.phone !== '') return { phone: args.phone };
  return undefined;
}

/**
 * Core's decision whether the booking named in a cancel or move may still change, for the policy
 * context (issue 12 items 6 and 7: "core and the policy enforce it"). Undefined when the call is
 * not a change, its arguments do not parse, a guard refuses the caller's proof, or the booking
 * cannot be proven the caller's:
 * then the registry, the guardrails or the engine answer with their own error, and nothing about
 * someone else's booking leaks through a deny reason.
 */
export async function readChangeWindow(call: { name: string; args: unknown }, context: { scope: ToolScope; deps: ExecutorDeps }): Promise<ChangeWindowDecision | undefined> {
  // The tools that change an existing booking (their descriptors' `changesBooking`): the policy is told whether it may still change.
  if (!isBookingChange(call.name) || typeof call.args !== 'object' || call.args === null) return undefined;
  if (!isProofAcceptable(call.name, call.args, context)) return undefined;
  const args = call.args as Record<string, unknown>;
  const verify = proofOf(args);
  if (typeof args.reference !== 'string' || !verify) return undefined;
  try {
    return await context.deps.engine.checkChange({ tenantId: context.scope.tenant.id, reference: args.reference, verify });
  } catch {
    return undefined;
  }
}
