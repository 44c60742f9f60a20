// Which booking actions need the contact proven by a one-time code first (issue 20 item 1), and the
// executor's check before such an action reads anything.
import type { Refusal } from '../tools/descriptor.js';
import { email, phone } from '../tools/schemas.js';
import type { ToolContext } from '../tools/tool-context.js';
import { isContactProven, type CodeContact } from './codes.js';

/** The actions a tenant may put behind a code. */
export type CodeAction = 'lookup' | 'move' | 'cancel';

/** Per action, whether a code is required (tenant `settings.identityCodes`, field by field). */
export type IdentityCodeSettings = Record<CodeAction, boolean>;

/** Moving and cancelling need a code; seeing a booking needs its reference and contact only. */
export const defaultIdentityCodes: IdentityCodeSettings = { lookup: false, move: true, cancel: true };

/** The booking tool behind each action. */
const actionOfTool: Record<string, CodeAction> = { lookup_booking: 'lookup', reschedule_booking: 'move', cancel_booking: 'cancel' };

/** The tenant's choice, over the defaults; anything not a boolean is ignored. */
export function resolveIdentityCodes(settings: Record<string, unknown> | undefined): IdentityCodeSettings {
  const own = (settings?.identityCodes ?? {}) as Record<string, unknown>;
  const pick = (action: CodeAction): boolean => (typeof own[action] === 'boolean' ? (own[action] as boolean) : defaultIdentityCodes[action]);
  return { lookup: pick('lookup'), move: pick('move'), cancel: pick('cancel') };
}

/** The contact a call proves a booking with, from its raw arguments (the schema parses them later). */
export function contactOfArgs(args: unknown): CodeContact | undefined {
  const a = (typeof args === 'object' && args !== null ? args : {}) as { email?: unknown; phone?: unknown };
  // Normalised as the tool's own schema will (case, E.164), so "Ana@…" and "ana@…" are one contact.
  const givenEmail = email.safeParse(a.email);
  if (givenEmail.success && givenEmail.data) return { email: givenEmail.data };
  const givenPhone = phone.safeParse(a.phone);
  if (givenPhone.success && givenPhone.data) return { phone: givenPhone.data };
  return undefined;
}

/**
 * Whether this action with this contact needs a code now: the tenant requires one, the receptionist
 * can send codes, the channel did not already verify the phone (an SMS from the booking's own
 * number: the engine still checks the number is on the booking), and no code proved it in this conversation.
 *
 * Only `verifiedContact` counts as the channel's word. SMS puts the sender there (issue 20: "SMS
 * from the booking's own number counts as proven"): getting a spoofed long code into Twilio's
 * inbound SMS is far harder than faking a caller ID, which any SIP trunk does. So voice puts the
 * caller ID there only when the carrier attested it in full (STIR/SHAKEN "A"); otherwise it is an
 * `offeredContact`, filled in for a new booking but never a reason to skip the code.
 */
export async function needsCode(context: ToolContext, request: { action: CodeAction; contact: CodeContact | undefined }): Promise<boolean> {
  const { scope, deps } = context;
  if (!deps.codeSender) return false;
  if (!resolveIdentityCodes(scope.tenant.settings)[request.action]) return false;
  const contact = request.contact;
  if (!contact) return false;
  if ('phone' in contact && scope.verifiedContact?.phone && contact.phone === scope.verifiedContact.phone) return false;
  return !(await isContactProven(deps.pool, { tenantId: scope.tenant.id, sessionId: scope.session.id, contact }));
}

/**
 * The executor's check before a booking tool runs (before the change window or the policy read the
 * booking, so nothing about it shows before the contact is proven). Null lets the call through.
 */
export async function checkProvenContact(context: ToolContext, call: { name: string; args: unknown }): Promise<Refusal | null> {
  const action = actionOfTool[call.name];
  if (!action) return null;
  if (!(await needsCode(context, { action, contact: contactOfArgs(call.args) }))) return null;
  return {
    guard: 'code-required',
    message:
      'This business asks for a one-time code before a booking is shown or changed. Call send_code with the reference and the email or phone on the booking, ask the customer for the 6-digit code they receive, then call verify_code with it.',
  };
}
