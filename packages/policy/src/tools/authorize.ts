import type { AppendResult, AuditEntryInput } from '../audit/types.js';
import type { Decision, PolicyContext } from '../types.js';
import type { ToolDefinition, ToolRegistry } from './registry.js';

/** The part of the policy engine a tool executor needs. */
export interface Authorizer {
  /** With `auditLater`, the decision's entry is left to the caller's transaction (see `PolicyEngine.evaluate`). */
  evaluate(action: string, context: PolicyContext, options?: { auditLater?: AuditEntryInput[] | undefined }): Promise<Decision>;
  audit(entry: AuditEntryInput): Promise<AppendResult>;
  /** Several entries in one round trip, in order; callers fall back to `audit` one by one without it. */
  auditMany?(entries: AuditEntryInput[]): Promise<AppendResult[]>;
  /**
   * Several entries as the batch `gomomo_audit_append_batch` appends, for a caller's own closing
   * statement (see `PolicyEngine.auditBatchOf`); without it, callers append decisions at once.
   */
  auditBatchOf?(entries: AuditEntryInput[]): string;
}

export interface ToolCall {
  name: string;
  /** Arguments as the model sent them: an object or a JSON string. */
  rawArgs: unknown;
  /** Who is calling from where; `tool`, `args` and `irreversible` are filled in from the call. */
  context: Omit<PolicyContext, 'tool' | 'args' | 'irreversible'>;
  /**
   * Where the policy decision's audit entry goes when the caller appends it in its own transaction
   * (`Authorizer.auditBatchOf`); without it the decision is appended at once. Refusals by the
   * registry or the argument schema are always appended at once.
   */
  auditLater?: AuditEntryInput[] | undefined;
}

export type ToolAuthorization =
  | { allowed: true; tool: ToolDefinition; args: Record<string, unknown>; decision: Decision }
  | { allowed: false; code: 'UNKNOWN_TOOL' | 'INVALID_ARGS' | 'DENIED'; message: string; decision?: Decision };

/** The audit action recorded for a call to a tool no registry has (it has no action of its own). */
export const unknownToolAction = 'tool.unknown';

/**
 * The one gate every tool call passes: the tool must be in the registry, its arguments must pass the
 * schema (both checked before any policy or engine call, and both audited when they fail), then the
 * policy decides, with the tool's `irreversible` flag in the context.
 */
export async function authorizeToolCall(policy: Authorizer, registry: ToolRegistry, call: ToolCall): Promise<ToolAuthorization> {
  const parsed = registry.parse(call.name, call.rawArgs);
  const { context } = call;
  if (!parsed.ok) {
    const tool = registry.get(call.name);
    const decision: Decision = {
      allowed: false,
      reason: parsed.message,
      ruleId: parsed.code === 'UNKNOWN_TOOL' ? `guard:closed-registry:${registry.kind}` : 'guard:tool-arguments',
      ruleVersion: null,
    };
    await policy.audit({
      tenantId: context.tenantId,
      actor: context.actor,
      channel: context.channel,
      action: tool?.action ?? unknownToolAction,
      tool: String(call.name).slice(0, 100),
      outcome: 'denied',
      reason: decision.reason,
      ruleId: decision.ruleId,
      sessionId: context.sessionId,
      subjectId: context.subject?.bookingId,
      details: { registry: registry.kind, issues: parsed.issues },
    });
    return { allowed: false, code: parsed.code, message: parsed.message, decision };
  }
  const toolContext = { ...context, tool: parsed.tool.name, args: parsed.args, irreversible: parsed.tool.irreversible };
  const decision = call.auditLater ? await policy.evaluate(parsed.tool.action, toolContext, { auditLater: call.auditLater }) : await policy.evaluate(parsed.tool.action, toolContext);
  if (!decision.allowed) return { allowed: false, code: 'DENIED', message: decision.reason, decision };
  return { allowed: true, tool: parsed.tool, args: parsed.args, decision };
}
