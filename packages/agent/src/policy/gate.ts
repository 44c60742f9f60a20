// Every call into @gomomo/policy goes through this one module, so the rest of the agent depends on
// a small shape of our own rather than on the policy package's exact names.
import type { ChangeWindowDecision, PoolClient } from '@gomomo/core';
import { appendAudit, auditBatchOf, authorizeToolCall, createToolRegistry, defineTool, redactText, type AuditEntryInput, type PolicyEngine, type ToolRegistry } from '@gomomo/policy';
import { decideConsent } from '../consent/decide-consent.js';
import { chatToolSpecs, consentActionOf, type ChatToolName } from '../tools/definitions.js';
import type { OutcomeRecord, ToolScope } from '../tools/tool-context.js';
import { describeChangeRefusal } from '../executor/failures.js';

export type { OutcomeRecord, PendingAudit } from '../tools/tool-context.js';

export type GateVerdict =
  | { allowed: true; tool: ChatToolName; action: string; args: unknown }
  | { allowed: false; code: 'UNKNOWN_TOOL' | 'INVALID_ARGS' | 'DENIED' | 'APPOINTMENT_STARTED' | 'CHANGE_DEADLINE_PASSED'; message: string };

/**
 * The policy side of the executor: authorise a call (the policy engine audits the decision at
 * once, before anything happens), record what came of it, and write those outcome entries.
 */
export interface PolicyGate {
  /** `changeWindow`: core's decision for a cancel or move (see executor/change-window.ts). */
  authorize(request: { name: string; rawArgs: unknown; scope: ToolScope; changeWindow?: ChangeWindowDecision | undefined }): Promise<GateVerdict>;
  /** Queues an outcome on the turn; `writeAudits` appends the queue when the turn is saved. */
  record(scope: ToolScope, entry: OutcomeRecord): void;
  /**
   * The turn's queued outcomes as one batch for policy's `gomomo_audit_append_batch` (`auditBatchOf`),
   * which the statement that saves the turn appends last; undefined when there are none.
   */
  auditBatch(scope: ToolScope): string | undefined;
  /** Appends the turn's queued outcomes, from the `from`th on, inside the caller's READ COMMITTED transaction. */
  writeAudits(client: PoolClient, scope: ToolScope, from?: number): Promise<void>;
  /** PII-redacted text for audit details (emails, phone numbers, card numbers). */
  redact(text: string): string;
}

/** The policy's guards that deny with core's change-window decision (policy/engine/change-window-guard.ts). */
const changeGuards = new Set(['guard:appointment-started', 'guard:change-deadline']);

const actionOf = new Map<string, string>(chatToolSpecs.map((tool) => [tool.name, tool.action]));

/** An outcome the turn queued, as the audit entry the customer's turn appends. */
function auditEntryOf(scope: ToolScope, entry: ToolScope['audits'][number]): AuditEntryInput {
  return {
    tenantId: scope.tenant.id,
    actor: 'customer',
    channel: scope.channel,
    action: entry.action ?? actionOf.get(entry.tool ?? '') ?? 'tool.unknown',
    tool: entry.tool,
    outcome: entry.outcome,
    reason: entry.reason,
    sessionId: scope.session.id,
    subjectId: entry.subjectId,
    clientKey: entry.clientKey,
    details: entry.details,
    occurredAt: entry.occurredAt,
  };
}

/** The closed chat registry of the policy, built once per gate from the tool descriptors (tools/definitions.ts). */
export function createChatRegistry(): ToolRegistry {
  return createToolRegistry(
    'chat',
    chatToolSpecs.map((tool) => defineTool({ name: tool.name, description: tool.description, args: tool.args, action: tool.action, irreversible: tool.irreversible })),
  );
}

/** Builds the closed chat registry from our tool descriptors and binds it to a policy engine. */
export function createPolicyGate(options: { policy: PolicyEngine; now: () => Date }): PolicyGate {
  const registry = createChatRegistry();
  return {
    async authorize({ name, rawArgs, scope, changeWindow }) {
      const verdict = await authorizeToolCall(options.policy, registry, {
        name,
        rawArgs,
        context: {
          tenantId: scope.tenant.id,
          channel: scope.channel,
          actor: 'customer',
          sessionId: scope.session.id,
          customerConfirmed: isConfirmedTurn(scope, { name, rawArgs }),
          changeWindow,
        },
      });
      // The policy denied with core's change-window reason: give the brain the specific code.
      if (!verdict.allowed && changeWindow && !changeWindow.allowed && changeGuards.has(verdict.decision?.ruleId ?? '')) {
        return { allowed: false, ...describeChangeRefusal(changeWindow.code, changeWindow.reason) };
      }
      if (!verdict.allowed) return { allowed: false, code: verdict.code, message: verdict.message };
      return { allowed: true, tool: verdict.tool.name as ChatToolName, action: verdict.tool.action, args: verdict.args };
    },
    record(scope, entry) {
      scope.audits.push({ ...entry, occurredAt: options.now() });
    },
    auditBatch(scope) {
      return scope.audits.length === 0 ? undefined : auditBatchOf(scope.audits.map((entry) => auditEntryOf(scope, entry)));
    },
    async writeAudits(client, scope, from = 0) {
      // The queue is left as is: the transaction may be retried (a deadlock), and only the caller
      // knows when it committed.
      for (const entry of scope.audits.slice(from)) await appendAudit(client, auditEntryOf(scope, entry));
    },
    redact: (text) => redactText(text),
  };
}

/**
 * THE consent check for every irreversible action (confirm, reschedule, cancel): the customer's own
 * words this turn must be an unambiguous yes to that action (decideConsent). It lives here, in the
 * policy's customer-confirmed check, and nowhere else: the policy refuses before the executor's
 * guardrails run, so a second check there could never be reached. The reference the call acts on
 * is passed along, so "yes … GM-XXXXX stays as it is" is a no to GM-XXXXX.
 */
// Which action needs consent is the tool's `reversibility` in its descriptor (tools/<tool>.ts),
// the same field the registry's `irreversible` is built from.
function isConfirmedTurn(scope: ToolScope, call: { name: string; rawArgs: unknown }): boolean {
  const args = (typeof call.rawArgs === 'object' && call.rawArgs !== null ? call.rawArgs : {}) as { reference?: unknown };
  const reference = typeof args.reference === 'string' ? args.reference : undefined;
  return decideConsent(scope.userText, { action: consentActionOf(call.name), reference }).kind === 'yes';
}
