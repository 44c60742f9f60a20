export interface SmsRateLimit {
  /** Most messages one phone may receive from one tenant within the window. */
  max: number;
  windowMs: number;
}

/** Default: 5 messages per phone per hour, well under carriers' spam heuristics. */
export const defaultSmsRateLimit: SmsRateLimit = { max: 5, windowMs: 60 * 60 * 1000 };

// The check itself lives in SQL (gomomo_outbox_gate, migration 0061) so it costs one round trip.
