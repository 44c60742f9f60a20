// A leaf module: the booking operations need this shape, and the engine builds it. Kept apart from
// engine.ts so the operations do not import the engine that imports them.
import type { Clock } from '../clock.js';
import type { Pool } from '../db/pool.js';
import type { BusyIndex } from '../availability/busy-index.js';
import type { CatalogCache } from '../tenants/catalog-cache.js';
import type { HoursCache } from '../availability/hours-cache.js';
import type { AnswerCache } from '../availability/answer-cache.js';

/** What a booking engine function needs besides its input. */
export interface EngineContext {
  pool: Pool;
  clock: Clock;
  catalog?: CatalogCache;
  busyIndex?: BusyIndex | undefined;
  /** Hours and overrides for availability from memory, trusted as long as the catalog. */
  hours?: HoursCache;
  /** Recent availability answers from memory, reused while exact (only when the catalog is cached). */
  answers?: AnswerCache;
}
