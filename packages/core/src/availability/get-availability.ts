import type { EngineContext } from '../engine/engine.js';
import type { Availability, AvailabilityQuery } from './types.js';

export async function getAvailability(_ctx: EngineContext, _query: AvailabilityQuery): Promise<Availability> {
  throw new Error('not implemented yet');
}
