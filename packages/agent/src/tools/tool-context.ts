// A leaf module: what every tool, guard, the executor and the policy gate share. It imports no
// tool, executor or gate module, so none of them import each other through it (issue 11 item 8).
import type { BookingEngine, Clock, Pool, Service, Tenant } from '@gomomo/core';
import type { SessionHold } from '../conversations/open-turn.js';
import type { Session } from '../conversations/store.js';
import type { TurnLedger } from '../executor/claim-check.js';
import type { LookupLimits } from '../executor/lookup-attempts.js';
import type { CodeLimits, CodeSender } from '../identity/codes.js';
import type { ChatChannel, TurnEvent, VerifiedContact } from '../types.js';
import type { HoldQuotaSettings } from './hold-quota-settings.js';

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
  'INTAKE_INCOMPLETE',
  'BUSY',
  'FAILED',
] as const;

export type ToolFailureCode = (typeof toolFailureCodes)[number];

/** A failed call in words the model can explain. */
export interface ToolFailure {
  code: ToolFailureCode;
  message: string;
}

/** The code-enforced guardrails, named in audit rows and failures. */
export type GuardName = 'range' | 'far-date' | 'live-hold' | 'contact-required' | 'verification-required' | 'mismatch-limit' | 'code-required' | 'staff-holds';

export interface OutcomeRecord {
  /** The chat tool; omitted for the executor's system actions, which name their `action`. */
  tool?: string | undefined;
  /** The audited action; default: the tool's policy action. */
  action?: string | undefined;
  outcome: 'denied' | 'succeeded' | 'failed';
  reason: string;
  subjectId?: string | undefined;
  clientKey?: string | undefined;
  details?: Record<string, unknown> | undefined;
}

/** An outcome waiting to be appended to the audit log with the rest of its turn. */
export interface PendingAudit extends OutcomeRecord {
  occurredAt: Date;
}

/** Everything a tool call is scoped to: one conversation of one tenant in one turn. */
export interface ToolScope {
  tenant: Tenant;
  /**
   * The tenant's active services as the turn opened with them (from the catalog cache, so at most
   * its TTL old, or read in the turn's opening transaction). Tools that only tell the customer about
   * the services use these instead of reading them again; a hold checks its service itself.
   */
  services: Service[];
  session: Session;
  channel: ChatChannel;
  /** This turn's customer message: the only evidence of consent the guardrails accept. */
  userText: string;
  verifiedContact: VerifiedContact | undefined;
  /** A contact the channel reached the customer on without vouching for it (an unattested caller ID): filled in, never proof. */
  offeredContact?: VerifiedContact | undefined;
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
  /** Sends one-time codes (identity/codes.ts); without one no code can be sent, so none is required. */
  codeSender?: CodeSender | undefined;
  /** Lifetime, tries and rate limits of one-time codes (default `defaultCodeLimits`). */
  codeLimits?: CodeLimits | undefined;
}

/** What a tool's handler and guardrail run with. */
export interface ToolContext {
  scope: ToolScope;
  deps: ExecutorDeps;
}
