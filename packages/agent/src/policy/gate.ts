// Every call into @gomomo/policy goes through this one module, so the rest of the agent depends on
// a small shape of our own rather than on the policy package's exact names.
import { authorizeToolCall, createToolRegistry, defineTool, type PolicyEngine } from '@gomomo/policy';
import { isAffirmative } from '../executor/affirmation.js';
import { chatToolSpecs, type ChatToolName } from '../tools/definitions.js';
import type { ToolScope } from '../executor/types.js';

export type GateVerdict =
  | { allowed: true; tool: ChatToolName; action: string; args: unknown }
  | { allowed: false; code: 'UNKNOWN_TOOL' | 'INVALID_ARGS' | 'DENIED'; message: string };

export interface OutcomeRecord {
  tool: string;
  outcome: 'denied' | 'succeeded' | 'failed';
  reason: string;
  subjectId?: string | undefined;
  clientKey?: string | undefined;
  details?: Record<string, unknown> | undefined;
}

/** The policy side of the executor: authorise a call, record what came of it. */
export interface PolicyGate {
  authorize(request: { name: string; rawArgs: unknown; scope: ToolScope }): Promise<GateVerdict>;
  record(scope: ToolScope, entry: OutcomeRecord): Promise<void>;
}

const actionOf = new Map<string, string>(chatToolSpecs.map((tool) => [tool.name, tool.action]));

/** Builds the closed chat registry from our tool specs and binds it to a policy engine. */
export function createPolicyGate(options: { policy: PolicyEngine; now: () => Date }): PolicyGate {
  const registry = createToolRegistry(
    'chat',
    chatToolSpecs.map((tool) => defineTool({ name: tool.name, description: tool.description, args: tool.args, action: tool.action, irreversible: tool.irreversible })),
  );
  return {
    async authorize({ name, rawArgs, scope }) {
      const verdict = await authorizeToolCall(options.policy, registry, {
        name,
        rawArgs,
        context: {
          tenantId: scope.tenant.id,
          channel: scope.channel,
          actor: 'customer',
          sessionId: scope.session.id,
          customerConfirmed: isConfirmedTurn(scope),
        },
      });
      if (!verdict.allowed) return { allowed: false, code: verdict.code, message: verdict.message };
      return { allowed: true, tool: verdict.tool.name as ChatToolName, action: verdict.tool.action, args: verdict.args };
    },
    async record(scope, entry) {
      await options.policy.audit({
        tenantId: scope.tenant.id,
        actor: 'customer',
        channel: scope.channel,
        action: actionOf.get(entry.tool) ?? 'tool.unknown',
        tool: entry.tool,
        outcome: entry.outcome,
        reason: entry.reason,
        sessionId: scope.session.id,
        subjectId: entry.subjectId,
        clientKey: entry.clientKey,
        details: entry.details,
        occurredAt: options.now(),
      });
    },
  };
}

// The customer's own "yes" this turn is what consent means for irreversible actions.
function isConfirmedTurn(scope: ToolScope): boolean {
  return isAffirmative(scope.userText);
}
