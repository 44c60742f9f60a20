// Placeholder signatures; the booking operations are being written (issue 2).
import type { EngineContext } from '../engine/engine.js';
import type { Appointment, CancelInput, ConfirmInput, Hold, HoldInput, ListAppointmentsInput, LookupInput, RescheduleInput } from './types.js';

const pending = (): never => {
  throw new Error('not implemented yet');
};

export async function holdSlot(_ctx: EngineContext, _input: HoldInput): Promise<Hold> {
  return pending();
}
export async function confirmHold(_ctx: EngineContext, _input: ConfirmInput): Promise<Appointment> {
  return pending();
}
export async function rescheduleAppointment(_ctx: EngineContext, _input: RescheduleInput): Promise<Appointment> {
  return pending();
}
export async function cancelAppointment(_ctx: EngineContext, _input: CancelInput): Promise<Appointment> {
  return pending();
}
export async function lookupAppointment(_ctx: EngineContext, _input: LookupInput): Promise<Appointment> {
  return pending();
}
export async function releaseHold(_ctx: EngineContext, _input: { tenantId: string; holdId: string; sessionId: string }): Promise<Hold> {
  return pending();
}
export async function getAppointment(_ctx: EngineContext, _input: { tenantId: string; reference: string }): Promise<Appointment> {
  return pending();
}
export async function listAppointments(_ctx: EngineContext, _input: ListAppointmentsInput): Promise<{ appointments: Appointment[]; nextCursor: string | null }> {
  return pending();
}
