import { findBookingOfHold, isBookingError } from '@gomomo/core';
import type { PolicyGate } from '../policy/gate.js';
import { findUpcomingByPhone, type UpcomingBooking } from '../system/upcoming-by-phone.js';
import { noteConfirmed } from '../tools/confirm-booking.js';
import { chatToolArgs, checkGuardrails, contactRoleOf, describeToolFailure, runHandler, toolStatus, type ChatToolArgs } from '../tools/definitions.js';
import { checkProvenContact } from '../identity/requirement.js';
import { readHandoff } from '../conversations/store.js';
import { readChangeWindow } from './change-window.js';
import { isLookupBlocked, lookupKeys, recordLookupFailure } from './lookup-attempts.js';
import type { ExecutorDeps, ToolResult, ToolScope, ToolTiming } from './types.js';

/** A tool call as a brain asks for it: a name and arguments (an object, or JSON text from a model). */
export interface ToolCall {
  name: string;
  args: unknown;
}

/** The one tool executor every channel and both brains go through. */
export interface ToolExecutor {
  /** What the tools run with (read by the brains' questions about them, such as whether a code is needed). */
  readonly deps: ExecutorDeps;
  execute(scope: ToolScope, call: ToolCall): Promise<ToolResult>;
  /**
   * System action, not a customer tool: gives back this conversation's own active holds (the
   * customer said "never mind"). Audited; returns how many were released.
   */
  releaseHolds(scope: ToolScope): Promise<number>;
  /**
   * System action, not a customer tool: the upcoming bookings made with the channel-verified phone
   * (SMS sender). Empty without a verified phone. Audited.
   */
  findUpcomingBookings(scope: ToolScope): Promise<UpcomingBooking[]>;
}

export interface ToolExecutorOptions {
  deps: ExecutorDeps;
  gate: PolicyGate;
  /** Called after every call with its time split, for the benchmark. */
  onTiming?: ((timing: ToolTiming) => void) | undefined;
}

/**
 * Tools that only read. Every other tool (a hold, a booking, a change, a code sent) first checks that
 * the receptionist still answers the conversation: a turn that was already running when staff took
 * it over must not act after the take-over (the reply itself is checked when the turn is saved).
 */
const readOnlyTools: ReadonlySet<string> = new Set(['check_availability', 'list_services', 'lookup_booking', 'answer_question', 'list_intake']);

/** Whether staff hold the conversation, or it waits for them (a conversation with no row yet is the receptionist's). */
async function isHeldByStaff(pool: ExecutorDeps['pool'], scope: ToolScope): Promise<boolean> {
  const handoff = await readHandoff(pool, scope.session);
  return handoff !== null && handoff !== 'ai';
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

/**
 * The channel's number for the customer (SMS: the sender's, verified; voice: the caller ID, vouched
 * for or not): a tool the customer gives a contact to uses it when the model gave none at all.
 * Giving a contact proves nothing, so an unattested caller ID is as good as a typed one here.
 */
function withVerifiedContact(name: string, value: unknown, scope: ToolScope): unknown {
  const phone = scope.verifiedContact?.phone ?? scope.offeredContact?.phone;
  if (!phone || contactRoleOf(name) !== 'gives') return value;
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
 * a result the model can read. The policy audits its decision at once, before anything happens;
 * the executor queues the outcome (a guardrail's refusal, the engine's success or failure), which
 * is appended in the transaction that saves the turn. Tool arguments never carry a tenant:
 * every call runs in the conversation's own.
 */
export function createToolExecutor(options: ToolExecutorOptions): ToolExecutor {
  const { deps, gate } = options;

  async function run(scope: ToolScope, call: ToolCall, timing: ToolTiming): Promise<ToolResult> {
    const rawArgs = withVerifiedContact(call.name, decodeArgs(call.args), scope);
    // Past the lookup limit nothing else is asked — not the change window, not the policy — so no
    // reply (a deadline, a start time) can tell a guesser that their reference or contact was right.
    const attempt = lookupAttemptOf(call.name, rawArgs, scope);
    if (attempt && (await isLookupBlocked(deps.pool, { ...attempt, now: deps.clock.now(), limits: deps.lookupLimits }))) {
      const message = 'Too many attempts with a reference or details that did not match. Ask the customer to contact the business directly.';
      gate.record(scope, { tool: call.name, outcome: 'denied', reason: `guard:mismatch-limit: ${message}`, clientKey: clientKeyOf(rawArgs) });
      return { ok: false, tool: call.name, code: 'GUARDRAIL', guard: 'mismatch-limit', message };
    }
    // A one-time code first where the tenant asks for one, and before the change window reads the booking.
    const unproven = await checkProvenContact({ scope, deps }, { name: call.name, args: rawArgs });
    if (unproven) {
      gate.record(scope, { tool: call.name, outcome: 'denied', reason: `guard:${unproven.guard}: contact not proven in this conversation`, clientKey: clientKeyOf(rawArgs) });
      return { ok: false, tool: call.name, code: 'GUARDRAIL', guard: unproven.guard, message: unproven.message };
    }
    const changeWindow = await readChangeWindow({ name: call.name, args: rawArgs }, { scope, deps });
    const verdict = await gate.authorize({ name: call.name, rawArgs, scope, changeWindow });
    if (!verdict.allowed) return { ok: false, tool: call.name, code: verdict.code, message: verdict.message };
    const tool = verdict.tool;
    // The registry parsed with the same schema; parsing again gives us the precise output type.
    const args = chatToolArgs[tool].parse(verdict.args) as ChatToolArgs<typeof tool>;
    const clientKey = clientKeyOf(args);

    const refusal = checkGuardrails(tool, args, { scope, deps });
    if (refusal?.guard === 'live-hold') {
      const again = await findConfirmedRetry(args as ChatToolArgs<'confirm_booking'>, { scope, deps, gate });
      if (again) return again;
    }
    if (refusal) {
      gate.record(scope, { tool, outcome: 'denied', reason: `guard:${refusal.guard}: ${refusal.message}`, clientKey });
      return { ok: false, tool, code: 'GUARDRAIL', guard: refusal.guard, message: refusal.message };
    }

    if (!readOnlyTools.has(tool) && (await isHeldByStaff(deps.pool, scope))) {
      const message = 'A staff member has taken this conversation over: do nothing more and say nothing; they will answer the customer.';
      gate.record(scope, { tool, outcome: 'denied', reason: `guard:staff-holds: ${message}`, clientKey });
      return { ok: false, tool, code: 'GUARDRAIL', guard: 'staff-holds', message };
    }

    scope.emit({ type: 'status', status: toolStatus[tool] });
    const started = performance.now();
    try {
      const data = await runHandler(tool, args, { scope, deps });
      timing.engineMs = performance.now() - started;
      gate.record(scope, { tool, outcome: 'succeeded', reason: 'done', subjectId: (data.reference ?? data.holdId ?? data.entryId) as string | undefined, clientKey });
      return { ok: true, tool, data };
    } catch (error) {
      timing.engineMs = performance.now() - started;
      if (tool === 'confirm_booking' && (isBookingError(error, 'HOLD_NOT_ACTIVE') || isBookingError(error, 'HOLD_EXPIRED'))) {
        const again = await findConfirmedRetry(args as ChatToolArgs<'confirm_booking'>, { scope, deps, gate });
        if (again) return again;
      }
      // An unknown reference counts as much as a wrong contact: both are guesses.
      if (attempt && (isBookingError(error, 'CONTACT_MISMATCH') || isBookingError(error, 'NOT_FOUND'))) {
        await recordLookupFailure(deps.pool, { ...attempt, now: deps.clock.now(), limits: deps.lookupLimits });
      }
      const failure = describeToolFailure(tool, error);
      gate.record(scope, { tool, outcome: 'failed', reason: `${failure.code}: ${isBookingError(error) ? error.message : 'unexpected error'}`, clientKey });
      return { ok: false, tool, ...failure };
    }
  }

  return {
    deps,
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
    releaseHolds: (scope) => releaseSessionHolds(scope, { deps, gate }),
    async findUpcomingBookings(scope) {
      const phone = scope.verifiedContact?.phone;
      if (!phone) return [];
      const found = await findUpcomingByPhone(deps.pool, { tenantId: scope.tenant.id, timeZone: scope.tenant.timeZone, phone, now: deps.clock.now() });
      scope.ledger.references.push(...found.map((b) => b.reference));
      gate.record(scope, { action: 'booking.list_own', outcome: 'succeeded', reason: `verified phone: ${found.length} upcoming`, clientKey: phone, details: { references: found.map((b) => b.reference) } });
      return found;
    },
  };
}

/**
 * Releases the conversation's own active holds through the engine. Not one of the eight customer
 * tools (a model cannot call it, and the policy has no rule for it): the brain calls it when the
 * customer withdraws, and it can only ever touch holds of this session — the engine checks the
 * session id too. Each release is audited as a system action on the customer's behalf.
 */
async function releaseSessionHolds(scope: ToolScope, context: { deps: ExecutorDeps; gate: PolicyGate }): Promise<number> {
  const { deps, gate } = context;
  let released = 0;
  for (const hold of [...scope.holds]) {
    try {
      await deps.engine.releaseHold({ tenantId: scope.tenant.id, holdId: hold.id, sessionId: scope.session.id });
      released += 1;
      gate.record(scope, { action: 'booking.release', outcome: 'succeeded', reason: 'customer withdrew; the conversation released its own hold', subjectId: hold.id });
    } catch (error) {
      // Already expired or confirmed: nothing left to give back.
      gate.record(scope, { action: 'booking.release', outcome: 'failed', reason: isBookingError(error) ? `${error.code}: ${error.message}` : 'unexpected error', subjectId: hold.id });
    }
  }
  scope.holds = [];
  return released;
}

/**
 * Confirming is idempotent per conversation and hold. A hold that is no longer active may have
 * been confirmed by this very conversation in a turn whose reply was lost (the booking committed,
 * saving the turn failed): the customer's second "yes" then gets that booking back, never a new
 * hold and a second booking. Core's confirm statement stays as it is (the hot path); this read
 * runs only when a confirm was refused.
 */
async function findConfirmedRetry(args: ChatToolArgs<'confirm_booking'>, context: { scope: ToolScope; deps: ExecutorDeps; gate: PolicyGate }): Promise<ToolResult | null> {
  const { scope, deps, gate } = context;
  const appointment = await findBookingOfHold(deps.pool, { tenantId: scope.tenant.id, holdId: args.holdId, sessionId: scope.session.id });
  if (!appointment || appointment.status !== 'booked') return null;
  gate.record(scope, { tool: 'confirm_booking', outcome: 'succeeded', reason: 'already booked by this conversation (a retried confirm); no new booking', subjectId: appointment.reference, clientKey: clientKeyOf(args) });
  return { ok: true, tool: 'confirm_booking', data: noteConfirmed(appointment, { args, scope }) };
}

/** The keys a booking lookup (a tool the contact proves: find, move, cancel) counts against: the reference, the contact, the client address. */
function lookupAttemptOf(tool: string, args: unknown, scope: ToolScope): { tenantId: string; keys: ReturnType<typeof lookupKeys> } | null {
  if (contactRoleOf(tool) !== 'proves') return null;
  const a = args as { reference?: unknown; email?: unknown; phone?: unknown } | null;
  // Arguments are not parsed yet here: a call without a usable reference is refused later by the schema.
  if (typeof a?.reference !== 'string') return null;
  const contact = typeof a.email === 'string' ? a.email : typeof a.phone === 'string' ? a.phone : undefined;
  return { tenantId: scope.tenant.id, keys: lookupKeys({ reference: a.reference, contact, clientAddress: scope.clientAddress }) };
}
