import { createStaffDesk } from '@gomomo/agent';
import { BookingError, withTenant } from '@gomomo/core';
import { z } from 'zod';
import { requireDevices } from '../routers/devices.js';
import { referenceSchema } from '../routers/schemas.js';
import { ServerError } from '../errors/server-error.js';
import { depsOf, type OpaqueDeps } from '../trpc/context.js';
import { router } from '../trpc/init.js';
import { staffProcedure, type StaffContext } from './auth.js';
import { auditStaffChange } from './staff-store.js';

/** Whose devices: the customer of a booking (by reference) or of a conversation (by session id) — exactly one. */
const customerInput = z
  .object({
    reference: referenceSchema.optional(),
    sessionId: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
  })
  .refine((value) => (value.reference === undefined) !== (value.sessionId === undefined), { message: 'give a booking reference or a conversation id (one of them)', path: ['reference'] });

type Contact = { email: string | null; phone: string | null };

/** The contact the console shows for that booking or conversation, read behind the staff member's tenant. */
async function contactOf(ctx: StaffContext & { deps: OpaqueDeps }, input: z.infer<typeof customerInput>): Promise<Contact> {
  const { engine, pool, clock } = depsOf(ctx);
  if (input.reference !== undefined) {
    const booking = await engine.getAppointment({ tenantId: ctx.tenantId, reference: input.reference });
    return { email: booking.client.email ?? null, phone: booking.client.phone ?? null };
  }
  const conversation = await createStaffDesk({ pool, clock }).readConversation({ tenantId: ctx.tenantId, sessionId: input.sessionId! });
  if (!conversation) throw new ServerError('SESSION_NOT_FOUND', 'No conversation of your business has this id');
  return conversation.contact;
}

/**
 * A customer as staff see them (issue 20 item 2, from the console): "Sign this customer out of
 * remembered devices" where a booking or a conversation shows them. Owner or staff; audited with the
 * staff id and the booking or conversation, never the contact itself.
 */
export const consoleCustomersRouter = router({
  /**
   * Revokes every device remembered for the customer's email and for their phone (a device is
   * remembered for the one contact a code proved, so both are revoked). Resolves to how many.
   */
  forgetDevices: staffProcedure.input(customerInput).mutation(async ({ ctx, input }) => {
    const devices = requireDevices(ctx);
    const contact = await contactOf(ctx, input);
    if (!contact.email && !contact.phone) throw new BookingError('VALIDATION', 'This customer gave no email or phone, so no device can be remembered for them', { field: input.reference !== undefined ? 'reference' : 'sessionId' });
    let revoked = 0;
    if (contact.email) revoked += await devices.revokeForCustomer({ tenantId: ctx.tenantId, email: contact.email });
    if (contact.phone) revoked += await devices.revokeForCustomer({ tenantId: ctx.tenantId, phone: contact.phone });
    const subject = input.reference !== undefined ? { reference: input.reference } : { sessionId: input.sessionId };
    const { pool, clock } = depsOf(ctx);
    await withTenant(pool, ctx.tenantId, (client) => auditStaffChange(client, { tenantId: ctx.tenantId, actorStaffId: ctx.staffId, action: 'customer.forget_devices', subjectId: input.reference ?? input.sessionId!, details: { ...subject, revoked, via: 'console' }, now: clock.now() }), {
      isolation: 'read committed',
    });
    return { revoked };
  }),
});
