import { z } from 'zod';
import { describeFailure } from '../executor/failures.js';
import type { Session } from '../conversations/store.js';
import { defaultCodeLimits, verifyCode, type CodeContact } from '../identity/codes.js';
import { defineChatTool } from './descriptor.js';

/**
 * The contact send_code sent the proven code to becomes the conversation's contact: the returning
 * customer is read by it, and the widget may offer to remember it on the device (identity/devices.ts).
 */
function adoptProvenContact(session: Session): void {
  const { codeContact, ...state } = session.state as { codeContact?: CodeContact };
  if (!codeContact) return;
  session.contact = { ...session.contact, ...codeContact };
  session.state = state;
}

/**
 * Checks the code the customer typed against the one send_code sent in this conversation. Once it
 * matches, the contact stays proven for the conversation. The argument's name is one the audit's
 * redaction knows (policy pii/redact.ts), so the digits never reach the audit log.
 */
export const verifyCodeTool = defineChatTool({
  name: 'verify_code',
  action: 'booking.lookup',
  reversibility: { irreversible: false },
  contact: 'none',
  changesBooking: false,
  description: 'Check the 6-digit code the customer received from send_code. After proven: true, call the booking tool again with the same reference and contact.',
  args: z.strictObject({ oneTimeCode: z.string().regex(/^\d{6}$/, 'must be the 6 digits of the code') }),
  guardrail: { none: 'the code is checked against its hash, with its own limit of tries (identity/codes.ts)' },
  handler: async (args, { scope, deps }) => {
    const result = await verifyCode(deps.pool, { tenantId: scope.tenant.id, sessionId: scope.session.id, code: args.oneTimeCode, now: deps.clock.now(), limits: deps.codeLimits ?? defaultCodeLimits });
    if (result.proven) adoptProvenContact(scope.session);
    return { ...result };
  },
  status: 'thinking',
  failure: (error) => describeFailure('verify_code', error),
  summary: { none: 'it proves a contact and changes no booking' },
});
