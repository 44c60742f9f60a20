import { actors, channels as customerChannels, type Actor } from '@gomomo/contracts';
import type { ChangeWindowDecision } from '@gomomo/core';

/** Where a request came from: a customer's channel (@gomomo/contracts') or `system`, the autonomous side (jobs, event handlers). */
export const channels = [...customerChannels, 'system'] as const;
export type Channel = (typeof channels)[number];

/** Who is acting: a customer in a conversation, a staff member, or the receptionist on its own (@gomomo/contracts' actors). */
export { actors };
export type { Actor };

/** Everything `evaluate` may look at besides the action name. */
export interface PolicyContext {
  tenantId: string;
  channel: Channel;
  actor: Actor;
  /** Tool name when the action comes from a tool call. */
  tool?: string | undefined;
  /** Parsed tool arguments, for argument predicates. */
  args?: Record<string, unknown> | undefined;
  sessionId?: string | undefined;
  /** Who the action concerns, for follow-up limits. `clientKey` is the normalised email or E.164 phone. */
  subject?: { clientKey?: string | undefined; bookingId?: string | undefined } | undefined;
  /** Irreversible actions are denied unless this is true. */
  customerConfirmed?: boolean | undefined;
  /** Set by `authorizeToolCall` from the tool definition; built-in irreversible actions need no flag. */
  irreversible?: boolean | undefined;
  /**
   * For a cancel or move: core's decision whether the booking may still change (it has not started,
   * and its service's change deadline has not passed), from `engine.checkChange`. The policy never
   * computes it; it denies with core's reason when `allowed` is false.
   */
  changeWindow?: ChangeWindowDecision | undefined;
}

/** The answer to "may this happen?". Every decision `evaluate` makes is in the audit log. */
export interface Decision {
  allowed: boolean;
  /** Why, in words an operator can act on: which rule allowed it, or what was missing. */
  reason: string;
  /** The rule, kill switch (`kill-switch:<family>`) or built-in guard (`guard:<name>`) that decided; null for default deny. */
  ruleId: string | null;
  /** The version of that rule, switch or limits setting; null for built-in guards and default deny. */
  ruleVersion: number | null;
}
