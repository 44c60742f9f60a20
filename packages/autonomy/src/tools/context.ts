import type { BookingEngine, Clock, Pool, PoolClient } from '@gomomo/core';
import type { CalendarProvider } from '../calendar/provider.js';
import type { AutonomyConfig } from '../config.js';
import type { AutonomyGate, GateScope } from '../policy/gate.js';
import type { PendingJobs } from '../queue/add-job.js';

/** What every orchestrator tool gets besides its arguments. */
export interface ToolContext {
  pool: Pool;
  clock: Clock;
  config: AutonomyConfig;
  gate: AutonomyGate;
  calendar: CalendarProvider;
  /** Needed only by offer_waitlist_slot, which takes a hold through the booking engine. */
  engine?: BookingEngine | undefined;
  /**
   * Issues the single-use token of a waitlist offer's link (the receptionist's `issueOfferLink`),
   * in the offer's transaction. Without it (or without the tenant's `settings.siteUrl`) offers carry
   * no link and are taken by reply.
   */
  issueOfferLink?: OfferLinkIssuer | undefined;
  /**
   * `pool` connects to Postgres directly (no transaction pooler in between), so a job's first
   * statement may ride its BEGIN round trip as a statement prepared with SQL's PREPARE, which a
   * pooler in transaction mode does not keep (core's `OpeningStatement`). Default false.
   */
  isPoolDirect?: boolean | undefined;
}

/** Issues an offer link's token for a hold; only its hash is kept, and it lapses with the hold. */
export type OfferLinkIssuer = (client: PoolClient, input: { tenantId: string; holdId: string; expiresAt: Date; now: Date }) => Promise<string>;

/**
 * One tool call: the transaction it runs in, the event that caused it (for the records), and the
 * policy outcome entries to append once that transaction has committed.
 */
export interface ToolCall extends GateScope {
  tenantId: string;
  /** Jobs the call queued and withdrew (`queueJobs`, `withdrawJobs`), written by the statement that closes its transaction. */
  pendingJobs: PendingJobs;
}
