import type { z } from 'zod';
import { actionPattern } from '../actions.js';
import { PolicyError } from '../errors.js';

/** A tool the model (chat) or the orchestrator (autonomy) may call. Frozen once defined. */
export interface ToolDefinition<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly description: string;
  readonly args: S;
  /** The policy action the call needs, e.g. `booking.hold`. */
  readonly action: string;
  /** Irreversible tools are denied unless the customer confirmed (see `PolicyContext.customerConfirmed`). */
  readonly irreversible: boolean;
}

export type RegistryKind = 'chat' | 'orchestrator';

export interface ArgIssue {
  path: string;
  message: string;
}

export type ParseResult =
  | { ok: true; tool: ToolDefinition; args: Record<string, unknown> }
  | { ok: false; code: 'UNKNOWN_TOOL' | 'INVALID_ARGS'; message: string; issues: ArgIssue[] };

/** A closed, frozen set of tools. There is deliberately no way to add one after creation. */
export interface ToolRegistry {
  readonly kind: RegistryKind;
  readonly names: readonly string[];
  readonly tools: readonly ToolDefinition[];
  get(name: string): ToolDefinition | undefined;
  has(name: string): boolean;
  /** Checks a call: the tool must exist and `rawArgs` (an object or a JSON string) must pass its schema. */
  parse(name: string, rawArgs: unknown): ParseResult;
}

const toolNamePattern = /^[a-z][a-z0-9_]{0,63}$/;

/** Defines a tool. The name is what the model calls; `action` is what the policy decides on. */
export function defineTool<S extends z.ZodType>(tool: { name: string; description: string; args: S; action: string; irreversible: boolean }): ToolDefinition<S> {
  if (!toolNamePattern.test(tool.name)) {
    throw new PolicyError('VALIDATION', `tool name "${tool.name}" must be 1–64 characters of a-z, 0-9 and _, starting with a letter`, { field: 'name' });
  }
  if (!actionPattern.test(tool.action)) {
    throw new PolicyError('VALIDATION', `tool "${tool.name}": action "${tool.action}" must be an action name such as "booking.hold"`, { field: 'action' });
  }
  if (typeof tool.irreversible !== 'boolean') {
    throw new PolicyError('VALIDATION', `tool "${tool.name}": irreversible must be true or false`, { field: 'irreversible' });
  }
  return Object.freeze({ name: tool.name, description: tool.description, args: tool.args, action: tool.action, irreversible: tool.irreversible });
}

function readArgs(rawArgs: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  if (typeof rawArgs !== 'string') return { ok: true, value: rawArgs ?? {} };
  // Models send arguments as a JSON string; an empty string means "no arguments".
  if (rawArgs.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(rawArgs) as unknown };
  } catch {
    return { ok: false, message: 'arguments are not valid JSON' };
  }
}

/** Builds a frozen registry from a static list; a duplicate name is a `DUPLICATE_TOOL` error. */
export function createToolRegistry(kind: RegistryKind, tools: readonly ToolDefinition[]): ToolRegistry {
  const byName = new Map<string, ToolDefinition>();
  for (const tool of tools) {
    if (byName.has(tool.name)) throw new PolicyError('DUPLICATE_TOOL', `The ${kind} registry has two tools named "${tool.name}"`, { field: 'name' });
    byName.set(tool.name, Object.isFrozen(tool) ? tool : defineTool(tool));
  }
  const names = Object.freeze([...byName.keys()]);
  const list = Object.freeze([...byName.values()]);
  return Object.freeze({
    kind,
    names,
    tools: list,
    get: (name: string) => byName.get(name),
    has: (name: string) => byName.has(name),
    parse(name: string, rawArgs: unknown): ParseResult {
      const tool = typeof name === 'string' ? byName.get(name) : undefined;
      if (!tool) {
        const shown = JSON.stringify(String(name)).slice(0, 80);
        return { ok: false, code: 'UNKNOWN_TOOL', message: `Unknown tool ${shown}; the ${kind} tools are: ${names.join(', ')}`, issues: [] };
      }
      const raw = readArgs(rawArgs);
      if (!raw.ok) return { ok: false, code: 'INVALID_ARGS', message: `${tool.name}: ${raw.message}`, issues: [{ path: '(input)', message: raw.message }] };
      const result = tool.args.safeParse(raw.value);
      if (!result.success) {
        const issues = result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(input)', message: issue.message }));
        return { ok: false, code: 'INVALID_ARGS', message: `${tool.name}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, issues };
      }
      const args = result.data;
      if (args === null || typeof args !== 'object' || Array.isArray(args)) {
        return { ok: false, code: 'INVALID_ARGS', message: `${tool.name}: arguments must be an object`, issues: [{ path: '(input)', message: 'must be an object' }] };
      }
      return { ok: true, tool, args: args as Record<string, unknown> };
    },
  });
}
