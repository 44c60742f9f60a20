import type { BookingEngine, Clock, Pool, PoolClient } from '@gomomo/core';
import type { CalendarProvider } from '../calendar/provider.js';
import type { AutonomyConfig } from '../config.js';
import type { AutonomyGate } from '../policy/gate.js';

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

/** One tool call: the transaction it runs in, and the event that caused it (for the audit record). */
export interface ToolCall {
  client: PoolClient;
  tenantId: string;
  eventId?: number | null | undefined;
}
