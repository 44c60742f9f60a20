import { readHoldFollowupStates, type AppointmentState, type HoldFollowupState, type Queryable } from '@gomomo/core';
import type { OutboxMessage } from './types.js';

type Checked = Pick<OutboxMessage, 'tenantId' | 'appointmentId' | 'appointmentChangeSeq' | 'appointmentStatus' | 'sendBefore' | 'holdId'>;

/** The current state of what a batch's messages describe (see `readBatchTruth`). */
export interface BatchTruth {
  appointments: ReadonlyMap<string, AppointmentState>;
  holds: ReadonlyMap<string, HoldFollowupState>;
}

export const noTruth: BatchTruth = { appointments: new Map(), holds: new Map() };

/**
 * The current state of every appointment and lapsed hold a batch's messages describe: the
 * appointments as the claim read them (`appointmentNow`), the holds in one more round trip, and none
 * when no row names one.
 */
export async function readBatchTruth(client: Queryable, rows: ReadonlyArray<Checked & { appointmentNow: AppointmentState | null }>): Promise<BatchTruth> {
  const appointments = new Map(rows.flatMap((row) => (row.appointmentNow ? [[row.appointmentNow.id, row.appointmentNow] as const] : [])));
  const holdRefs = rows.filter((row) => row.holdId !== null).map((row) => ({ tenantId: row.tenantId, holdId: row.holdId! }));
  return { appointments, holds: await readHoldFollowupStates(client, holdRefs) };
}

function holdReason(row: Checked, truth: BatchTruth): string | null {
  if (row.holdId === null) return null;
  const hold = truth.holds.get(row.holdId);
  if (!hold || hold.tenantId !== row.tenantId) return 'obsolete: the hold no longer exists';
  if (hold.status === 'confirmed') return 'obsolete: the hold was booked';
  if (hold.hasConversationBooked) return 'obsolete: the conversation booked since the hold';
  return null;
}

/**
 * Why a message must not be sent any more, or null when it still tells the truth: its deadline has
 * passed; the appointment it describes was cancelled, changed (another change sequence) or — for a
 * message about a booking — has started; or the conversation of the lapsed hold it follows up booked.
 */
export function obsoleteReason(row: Checked, truth: BatchTruth, now: Date): string | null {
  if (row.sendBefore && now.getTime() >= row.sendBefore.getTime()) return `obsolete: its deadline ${row.sendBefore.toISOString()} has passed`;
  const aboutHold = holdReason(row, truth);
  if (aboutHold) return aboutHold;
  if (row.appointmentStatus === null || row.appointmentId === null) return null;
  const state = truth.appointments.get(row.appointmentId);
  if (!state || state.tenantId !== row.tenantId) return 'obsolete: the appointment no longer exists';
  if (state.status !== row.appointmentStatus) return `obsolete: the appointment is ${state.status} now`;
  if (row.appointmentChangeSeq !== null && state.changeSeq !== row.appointmentChangeSeq) {
    return `obsolete: the appointment changed since (change ${row.appointmentChangeSeq} → ${state.changeSeq})`;
  }
  if (state.status === 'booked' && now.getTime() >= state.startsAt.getTime()) return `obsolete: the appointment started at ${state.startsAt.toISOString()}`;
  return null;
}
