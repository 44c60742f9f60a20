import type { Actor, Channel } from '../types.js';

export const auditOutcomes = ['allowed', 'denied', 'succeeded', 'failed'] as const;
export type AuditOutcome = (typeof auditOutcomes)[number];

/** What a caller appends. Details are redacted before they are stored. */
export interface AuditEntryInput {
  tenantId: string;
  actor: Actor;
  channel: Channel;
  action: string;
  tool?: string | undefined;
  outcome: AuditOutcome;
  reason?: string | undefined;
  ruleId?: string | null | undefined;
  ruleVersion?: number | null | undefined;
  sessionId?: string | undefined;
  /** The id of what the entry is about, usually a booking id. */
  subjectId?: string | undefined;
  /** The client's normalised email or phone; stored only as a pseudonym (sha256 with the tenant id). */
  clientKey?: string | undefined;
  details?: Record<string, unknown> | undefined;
  /** When it happened; defaults to now. Pass the engine's clock time. */
  occurredAt?: Date | undefined;
}

/** One stored audit row. */
export interface AuditEntry {
  id: number;
  tenantId: string;
  seq: number;
  occurredAt: string;
  actor: Actor;
  channel: Channel;
  action: string;
  tool: string | null;
  outcome: AuditOutcome;
  reason: string | null;
  ruleId: string | null;
  ruleVersion: number | null;
  sessionId: string | null;
  subjectId: string | null;
  clientRef: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface AppendResult {
  id: number;
  seq: number;
  hash: string;
}
