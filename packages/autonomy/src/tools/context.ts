import type { BookingEngine, Clock, Pool } from '@gomomo/core';
import type { CalendarProvider } from '../calendar/provider.js';
import type { AutonomyConfig } from '../config.js';
import type { AutonomyGate, GateScope } from '../policy/gate.js';

/** What every orchestrator tool gets besides its arguments. */
export interface ToolContext {
  pool: Pool;
  clock: Clock;
  config: AutonomyConfig;
  gate: AutonomyGate;
  calendar: CalendarProvider;
  /** Needed only by offer_waitlist_slot, which takes a hold through the booking engine. */
  engine?: BookingEngine | undefined;
}

/**
 * One tool call: the transaction it runs in, the event that caused it (for the records), and the
 * policy outcome entries to append once that transaction has committed.
 */
export interface ToolCall extends GateScope {
  tenantId: string;
}
