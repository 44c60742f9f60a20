import { readAppointmentStates, type AppointmentState, type Queryable } from '@gomomo/core';
import type { OutboxMessage } from './types.js';

type Checked = Pick<OutboxMessage, 'tenantId' | 'appointmentId' | 'appointmentChangeSeq' | 'appointmentStatus' | 'sendBefore'>;

/**
 * Reads, in one round trip, the current state of every appointment a batch's messages describe
 * (rows without a topic cost nothing). Read after the claim, so the check is as fresh as the batch.
 */
export async function readBatchTruth(client: Queryable, rows: ReadonlyArray<Checked>): Promise<Map<string, AppointmentState>> {
  const refs = rows.filter((row) => row.appointmentStatus !== null && row.appointmentId !== null).map((row) => ({ tenantId: row.tenantId, appointmentId: row.appointmentId! }));
  return readAppointmentStates(client, refs);
}

/**
 * Why a message must not be sent any more, or null when it still tells the truth: its deadline has
 * passed, or the appointment it describes was cancelled, changed (another change sequence) or —
 * for a message about a booking — has started.
 */
export function obsoleteReason(row: Checked, states: ReadonlyMap<string, AppointmentState>, now: Date): string | null {
  if (row.sendBefore && now.getTime() >= row.sendBefore.getTime()) return `obsolete: its deadline ${row.sendBefore.toISOString()} has passed`;
  if (row.appointmentStatus === null || row.appointmentId === null) return null;
  const state = states.get(row.appointmentId);
  if (!state || state.tenantId !== row.tenantId) return 'obsolete: the appointment no longer exists';
  if (state.status !== row.appointmentStatus) return `obsolete: the appointment is ${state.status} now`;
  if (row.appointmentChangeSeq !== null && state.changeSeq !== row.appointmentChangeSeq) {
    return `obsolete: the appointment changed since (change ${row.appointmentChangeSeq} → ${state.changeSeq})`;
  }
  if (state.status === 'booked' && now.getTime() >= state.startsAt.getTime()) return `obsolete: the appointment started at ${state.startsAt.toISOString()}`;
  return null;
}
