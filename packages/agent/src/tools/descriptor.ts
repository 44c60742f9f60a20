import type { z } from 'zod';
import type { ConsentAction } from '../consent/decide-consent.js';
import type { TurnStatus } from '../types.js';
import type { GuardName, ToolContext, ToolFailure } from './tool-context.js';

/** A refusal the model can explain: which guard and what to ask the customer. */
export interface Refusal {
  guard: GuardName;
  message: string;
}

/**
 * Whether a tool's effect can be undone. An irreversible one needs the customer's own yes this turn
 * to `consent` (the summary's action); the policy gate (policy/gate.ts, isConfirmedTurn) reads it
 * here and is the one place consent is checked.
 */
export type Reversibility = { irreversible: false } | { irreversible: true; consent: ConsentAction };

/**
 * The code-enforced guardrail of a tool, run after the policy allowed the call and before the
 * engine sees it. Every tool names one: `{ none }` must say why it needs none, so a new tool cannot
 * pass the guardrails silently (default deny).
 */
export type Guardrail<A> = { check: (args: A, context: ToolContext) => Refusal | null } | { none: string };

/**
 * What the customer's contact details are to a tool, which decides the executor's checks around it:
 * `gives` (a new booking or entry: on SMS the verified sender's phone fills in a missing contact),
 * `proves` (a reference plus the contact it was booked with: a wrong one counts toward the lookup
 * limit, and past it the call is refused before anything is read), or `none`.
 */
export type ContactRole = 'gives' | 'proves' | 'none';

/** Everything one chat tool is, in one place: adding a tool is one file, and a missing part does not compile. */
export interface ChatToolDescriptor<N extends string = string, S extends z.ZodType = z.ZodType> {
  /** What the model calls. */
  name: N;
  /** What the policy decides on and the audit log records. */
  action: string;
  reversibility: Reversibility;
  contact: ContactRole;
  /** Changes an existing booking: the policy is told core's decision whether it may still change (executor/change-window.ts). */
  changesBooking: boolean;
  /** What the model is told about the tool. */
  description: string;
  /** Strict arguments: the policy registry and the executor parse with this same schema. */
  args: S;
  guardrail: Guardrail<z.output<S>>;
  /** What the tool does with the engine, once parsing, policy and guardrails let it through. */
  handler: (args: z.output<S>, context: ToolContext) => Promise<Record<string, unknown>>;
  /** The status a live indicator shows while the tool runs. */
  status: TurnStatus;
  /** An engine failure in words the model can explain (usually `describeFailure`, see executor/failures.ts). */
  failure: (error: unknown) => ToolFailure;
  /**
   * What an apology says the call did before a provider failed (the OpenAI brain), or null with a
   * reason when it changes nothing the customer must be told of.
   */
  summary: { line: (data: Record<string, unknown>) => string } | { none: string };
}

/** Declares a tool; the name stays a literal so the registry can type its maps by the tool name union. */
export function defineChatTool<N extends string, S extends z.ZodType>(descriptor: ChatToolDescriptor<N, S>): ChatToolDescriptor<N, S> {
  return descriptor;
}
