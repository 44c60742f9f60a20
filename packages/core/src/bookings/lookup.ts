import { withTenant } from '../db/transaction.js';
import type { EngineContext } from '../engine/context.js';
import { parseInput } from '../validation/parse.js';
import { assertVerified, readAppointment, toAppointment } from './rows.js';
import { getAppointmentInputSchema, lookupInputSchema } from './schemas.js';
import type { Appointment, LookupInput } from './types.js';

/**
 * A booking by reference for a customer who proves it is theirs with its email or phone.
 * Unknown reference → `NOT_FOUND`; wrong contact → `CONTACT_MISMATCH` with no detail of the booking.
 */
export async function lookupAppointment(ctx: EngineContext, input: LookupInput): Promise<Appointment> {
  const data = parseInput(lookupInputSchema, input);
  return withTenant(
    ctx.pool,
    data.tenantId,
    async (client) => {
      const row = await readAppointment(client, data);
      assertVerified(row, data.verify);
      return toAppointment(row);
    },
    { isolation: 'read committed' },
  );
}

/** Staff view of a booking by reference: no contact check, still scoped to the tenant. */
export async function getAppointment(ctx: EngineContext, input: { tenantId: string; reference: string }): Promise<Appointment> {
  const data = parseInput(getAppointmentInputSchema, input);
  return withTenant(ctx.pool, data.tenantId, async (client) => toAppointment(await readAppointment(client, data)), { isolation: 'read committed' });
}
