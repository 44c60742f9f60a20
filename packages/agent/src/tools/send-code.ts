import { z } from 'zod';
import { describeFailure } from '../executor/failures.js';
import { defaultCodeLimits, requestCode, type CodeContact } from '../identity/codes.js';
import { verification } from './describe-booking.js';
import { defineChatTool } from './descriptor.js';
import { checkVerification } from './guards.js';
import { email, phone, reference } from './schemas.js';

/** "a***@example.com", "•••• 4567": enough for the customer to know where to look, nothing to harvest. */
function masked(contact: CodeContact): string {
  if ('email' in contact) return contact.email.replace(/^(.)[^@]*/, '$1***');
  return `•••• ${contact.phone.slice(-4)}`;
}

/**
 * Sends a 6-digit code to the email or phone on a booking (issue 20 item 1). The reference and the
 * contact are checked first, exactly as a lookup checks them (a wrong pair counts toward the lookup
 * limit), so a code only ever goes to a contact that is on the booking. Reads nothing else of it.
 */
export const sendCodeTool = defineChatTool({
  name: 'send_code',
  // Proving the contact is part of finding the booking: a tenant that denies lookups denies codes too.
  action: 'booking.lookup',
  reversibility: { irreversible: false },
  contact: 'proves',
  changesBooking: false,
  description:
    'Send a 6-digit one-time code to the email or phone on a booking, when a booking tool answered code-required. Needs the reference and that email or phone; then ask the customer for the code and call verify_code.',
  args: z.strictObject({ reference, email: email.optional(), phone: phone.optional(), language: z.enum(['en', 'es']).optional() }),
  guardrail: { check: checkVerification },
  handler: async (args, { scope, deps }) => {
    const verify = verification(args);
    await deps.engine.lookup({ tenantId: scope.tenant.id, reference: args.reference, verify });
    if (!deps.codeSender) return { sent: false, reason: 'codes-unavailable' };
    const contact: CodeContact = args.email ? { email: args.email } : { phone: args.phone! };
    const result = await requestCode(deps.pool, {
      tenantId: scope.tenant.id,
      sessionId: scope.session.id,
      contact,
      clientAddress: scope.clientAddress,
      message: { businessName: scope.tenant.name, locale: args.language ?? 'en' },
      now: deps.clock.now(),
      limits: deps.codeLimits ?? defaultCodeLimits,
      send: deps.codeSender,
    });
    if (!result.sent) return { sent: false, reason: result.reason };
    // Kept with the conversation (server-side, like its contact) so verify_code knows whom it proved.
    scope.session.state = { ...scope.session.state, codeContact: contact };
    return { sent: true, via: 'email' in contact ? 'email' : 'sms', to: masked(contact), validMinutes: Math.round((deps.codeLimits ?? defaultCodeLimits).ttlMs / 60_000) };
  },
  status: 'thinking',
  failure: (error) => describeFailure('send_code', error),
  summary: { none: 'it sends a code and changes no booking' },
});
