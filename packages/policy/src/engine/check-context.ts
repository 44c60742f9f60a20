import { actionPattern } from '../actions.js';
import { PolicyError } from '../errors.js';
import { actors, channels, type PolicyContext } from '../types.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const channelSet: ReadonlySet<string> = new Set(channels);
const actorSet: ReadonlySet<string> = new Set(actors);

function fail(field: string, problem: string, value: unknown): never {
  throw new PolicyError('VALIDATION', `${field}: ${problem}, got ${JSON.stringify(value)?.slice(0, 60) ?? 'undefined'}`, { field });
}

/** A tenant id as `withTenant` wants it, reported as a PolicyError rather than core's error. */
export function checkTenantId(tenantId: unknown): string {
  if (typeof tenantId !== 'string' || !uuidPattern.test(tenantId)) fail('tenantId', 'must be a UUID', tenantId);
  return tenantId;
}

/**
 * Checks an evaluate call by hand rather than with zod: it runs on every decision, and a few typeof
 * checks cost nanoseconds. A malformed context is a programming error, so it throws.
 */
export function checkEvaluateInput(action: unknown, context: PolicyContext): void {
  if (typeof action !== 'string' || action.length > 100 || !actionPattern.test(action)) fail('action', 'must be an action name such as "booking.hold"', action);
  if (context === null || typeof context !== 'object') fail('context', 'must be an object', context);
  checkTenantId(context.tenantId);
  if (!channelSet.has(context.channel)) fail('channel', `must be one of ${channels.join(', ')}`, context.channel);
  if (!actorSet.has(context.actor)) fail('actor', `must be one of ${actors.join(', ')}`, context.actor);
  if (context.args !== undefined && (context.args === null || typeof context.args !== 'object' || Array.isArray(context.args))) fail('args', 'must be an object', context.args);
  if (context.tool !== undefined && typeof context.tool !== 'string') fail('tool', 'must be a string', context.tool);
}
