import { z } from 'zod';
import type { Pool } from '../db/pool.js';
import { withTenant } from '../db/transaction.js';
import { parseInput, uuidSchema } from '../validation/parse.js';
import { appointmentSelect, toAppointment, type AppointmentRow } from './rows.js';
import { sessionIdSchema } from './schemas.js';
import type { Appointment } from './types.js';

const inputSchema = z.object({ tenantId: uuidSchema, holdId: uuidSchema, sessionId: sessionIdSchema });

/**
 * The appointment a session's hold was confirmed into, or null. Confirm's retry path: when a
 * second "yes" arrives after the first one's reply was lost (the booking committed, saving the
 * turn failed), the hold is no longer active, and the caller returns this booking instead of
 * holding and booking again. Only the session that held the slot finds it.
 */
export async function findBookingOfHold(pool: Pool, input: { tenantId: string; holdId: string; sessionId: string }): Promise<Appointment | null> {
  const data = parseInput(inputSchema, input);
  return withTenant(
    pool,
    data.tenantId,
    async (client) => {
      const { rows } = await client.query<AppointmentRow>(`${appointmentSelect} WHERE a.tenant_id = $1 AND a.hold_id = $2 AND a.session_id = $3`, [data.tenantId, data.holdId, data.sessionId]);
      return rows[0] ? toAppointment(rows[0]) : null;
    },
    { isolation: 'read committed' },
  );
}
