import type { BookingEngine, Clock, Pool, Tenant } from '@gomomo/core';
import type { SessionHold } from '../conversations/open-turn.js';
import type { Session } from '../conversations/store.js';
import type { PendingAudit } from '../policy/gate.js';
import type { ChatToolName } from '../tools/definitions.js';
import type { HoldQuotaSettings } from '../tools/hold-quota.js';
import type { ChatChannel, TurnEvent, VerifiedContact } from '../types.js';
import type { TurnLedger } from './claim-check.js';
import type { LookupLimits } from './lookup-attempts.js';

/** Why a tool call produced no effect, in a closed list the model and the brains can act on. */
export const toolFailureCodes = [
  'UNKNOWN_TOOL',
  'INVALID_ARGS',
  'DENIED',
  'GUARDRAIL',
  'SLOT_UNAVAILABLE',
  'HOLD_EXPIRED',
  'CONTACT_MISMATCH',
  'NOT_FOUND',
  'ALREADY_CANCELLED',
  'APPOINTMENT_STARTED',
  'CHANGE_DEADLINE_PASSED',
  'BUSY',
  'FAILED',
] as const;

export type ToolFailureCode = (typeof toolFailureCodes)[number];

/** The code-enforced guardrails, named in audit rows and failures. */
export type GuardName = 'range' | 'far-date' | 'live-hold' | 'contact-required' | 'verification-required' | 'mismatch-limit';

/**
 * What a tool call gives back, readable by a model as JSON: the data on success, or a code and a
 * message that says what to ask the customer. Never a stack trace.
 */
export type ToolResult =
  | { ok: true; tool: ChatToolName; data: Record<string, unknown> }
  | { ok: false; tool: string; code: ToolFailureCode; message: string; guard?: GuardName };

/** Everything a tool call is scoped to: one conversation of one tenant in one turn. */
export interface ToolScope {
  tenant: Tenant;
  session: Session;
  channel: ChatChannel;
  /** This turn's customer message: the only evidence of consent the guardrails accept. */
  userText: string;
  verifiedContact: VerifiedContact | undefined;
  /** The client address the server trusts (web chat): failed lookups count against it, and it rations holds per visitor; unset for SMS and voice. */
  clientAddress?: string | undefined;
  ledger: TurnLedger;
  emit: (event: TurnEvent) => void;
  /**
   * The conversation's active holds: read when the turn opened, kept current by this turn's own
   * hold and release calls. Turns of one conversation never overlap, so it is accurate but for
   * expiry, which the guard checks against the clock (and the engine checks again).
   */
  holds: SessionHold[];
  /** Outcomes to append to the audit log when the turn is saved (same transaction). */
  audits: PendingAudit[];
}

/** Time spent in one call, for the benchmark's overhead figure. */
export interface ToolTiming {
  tool: string;
  totalMs: number;
  engineMs: number;
}

export interface ExecutorDeps {
  pool: Pool;
  engine: BookingEngine;
  clock: Clock;
  /** Holding a slot further ahead than this needs `confirmFarDate`; 0 disables. */
  farDateConfirmDays: number;
  /** Failed lookups allowed per reference, contact and client address per window (see lookup-attempts.ts). */
  lookupLimits: LookupLimits;
  /** Hold rationing per client address and for anonymous conversations (default `defaultHoldQuota`). */
  holdQuota?: HoldQuotaSettings | undefined;
}
