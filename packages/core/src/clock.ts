/** Where the engine reads the time. Pass one in; tests use a ManualClock, never the wall clock. */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };
