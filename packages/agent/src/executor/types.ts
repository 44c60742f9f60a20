// The executor's own types; the shapes it shares with the tools and the policy gate live in the
// leaf module tools/tool-context.ts (re-exported here for the executor's callers).
import type { ChatToolName } from '../tools/definitions.js';
import type { GuardName, ToolFailureCode } from '../tools/tool-context.js';

export { toolFailureCodes } from '../tools/tool-context.js';
export type { ExecutorDeps, GuardName, ToolContext, ToolFailure, ToolFailureCode, ToolScope } from '../tools/tool-context.js';

/**
 * What a tool call gives back, readable by a model as JSON: the data on success, or a code and a
 * message that says what to ask the customer. Never a stack trace.
 */
export type ToolResult =
  | { ok: true; tool: ChatToolName; data: Record<string, unknown> }
  | { ok: false; tool: string; code: ToolFailureCode; message: string; guard?: GuardName };

/** Time spent in one call, for the benchmark's overhead figure. */
export interface ToolTiming {
  tool: string;
  totalMs: number;
  engineMs: number;
}
