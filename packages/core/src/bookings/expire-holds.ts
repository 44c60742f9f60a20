import type { EngineContext } from '../engine/engine.js';

export async function expireHolds(_ctx: EngineContext): Promise<number> {
  throw new Error('not implemented yet');
}
