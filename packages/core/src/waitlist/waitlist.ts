import type { EngineContext } from '../engine/engine.js';
import type { JoinWaitlistInput, WaitlistEntry, WaitlistStatus } from './types.js';

export async function joinWaitlist(_ctx: EngineContext, _input: JoinWaitlistInput): Promise<WaitlistEntry> {
  throw new Error('not implemented yet');
}
export async function listWaitlist(_ctx: EngineContext, _input: { tenantId: string; serviceId?: string; status?: WaitlistStatus }): Promise<WaitlistEntry[]> {
  throw new Error('not implemented yet');
}
