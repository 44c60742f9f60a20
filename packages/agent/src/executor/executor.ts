import { isBookingError } from '@gomomo/core';
import type { PolicyGate } from '../policy/gate.js';
import { chatToolArgs, type ChatToolArgs } from '../tools/definitions.js';
import { handlers, toolStatus } from '../tools/handlers.js';
import { checkGuardrails } from './guardrails.js';
import { describeFailure } from './failures.js';
import type { ExecutorDeps, ToolResult, ToolScope, ToolTiming } from './types.js';

/** A tool call as a brain asks for it: a name and arguments (an object, or JSON text from a model). */
export interface ToolCall {
  name: string;
  args: unknown;
}

/** The one tool executor every channel and both brains go through. */
export interface ToolExecutor {
  execute(scope: ToolScope, call: ToolCall): Promise<ToolResult>;
}

export interface ToolExecutorOptions {
  deps: ExecutorDeps;
  gate: PolicyGate;
  /** Called after every call with its time split, for the benchmark. */
  onTiming?: ((timing: ToolTiming) => void) | undefined;
}

// Models send JSON text. Decoded here only to add the verified phone; text that is not JSON goes
// to the registry as is, which refuses it (and audits the refusal) like any other bad arguments.
function decodeArgs(raw: unknown): unknown {
  if (typeof raw !== 'string' || raw.trim() === '') return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** On SMS the sender's number is verified: use it when the model gave no contact at all. */
function withVerifiedContact(name: string, value: unknown, scope: ToolScope): unknown {
  const phone = scope.verifiedContact?.phone;
  if (!phone || (name !== 'confirm_booking' && name !== 'join_waitlist')) return value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const args = value as Record<string, unknown>;
  return args.email || args.phone ? args : { ...args, phone };
}

function clientKeyOf(args: unknown): string | undefined {
  const a = args as { email?: string; phone?: string } | undefined;
  return a?.email?.toLowerCase() ?? a?.phone;
}

/**
 * Builds the executor: arguments parsed (zod, strict) → policy decision → guardrails → engine →
 * a result the model can read. The policy audits its decision; the executor audits the outcome
 * (a guardrail's refusal, the engine's success or failure). Tool arguments never carry a tenant:
 * every call runs in the conversation's own.
 */
export function createToolExecutor(options: ToolExecutorOptions): ToolExecutor {
  const { deps, gate } = options;

  async function run(scope: ToolScope, call: ToolCall, timing: ToolTiming): Promise<ToolResult> {
    const verdict = await gate.authorize({ name: call.name, rawArgs: withVerifiedContact(call.name, decodeArgs(call.args), scope), scope });
    if (!verdict.allowed) return { ok: false, tool: call.name, code: verdict.code, message: verdict.message };
    const tool = verdict.tool;
    // The registry parsed with the same schema; parsing again gives us the precise output type.
    const args = chatToolArgs[tool].parse(verdict.args) as ChatToolArgs<typeof tool>;
    const clientKey = clientKeyOf(args);

    const refusal = await checkGuardrails(tool, args, { scope, deps });
    if (refusal) {
      await gate.record(scope, { tool, outcome: 'denied', reason: `guard:${refusal.guard}: ${refusal.message}`, clientKey });
      return { ok: false, tool, code: 'GUARDRAIL', guard: refusal.guard, message: refusal.message };
    }

    scope.emit({ type: 'status', status: toolStatus[tool] });
    const started = performance.now();
    try {
      const data = await (handlers[tool] as (a: typeof args, c: { scope: ToolScope; deps: ExecutorDeps }) => Promise<Record<string, unknown>>)(args, { scope, deps });
      timing.engineMs = performance.now() - started;
      await gate.record(scope, { tool, outcome: 'succeeded', reason: 'done', subjectId: (data.reference ?? data.holdId ?? data.entryId) as string | undefined, clientKey });
      return { ok: true, tool, data };
    } catch (error) {
      timing.engineMs = performance.now() - started;
      noteMismatch(error, scope);
      const failure = describeFailure(tool, error);
      await gate.record(scope, { tool, outcome: 'failed', reason: `${failure.code}: ${isBookingError(error) ? error.message : 'unexpected error'}`, clientKey });
      return { ok: false, tool, ...failure };
    }
  }

  return {
    async execute(scope, call) {
      const timing: ToolTiming = { tool: call.name, totalMs: 0, engineMs: 0 };
      const started = performance.now();
      try {
        return await run(scope, call, timing);
      } finally {
        timing.totalMs = performance.now() - started;
        options.onTiming?.(timing);
      }
    },
  };
}

function noteMismatch(error: unknown, scope: ToolScope): void {
  if (!isBookingError(error, 'CONTACT_MISMATCH')) return;
  const guard = (scope.session.state.guard ?? {}) as { mismatches?: number };
  scope.session.state = { ...scope.session.state, guard: { ...guard, mismatches: (guard.mismatches ?? 0) + 1 } };
}
