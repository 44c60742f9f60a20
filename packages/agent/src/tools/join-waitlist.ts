import { DateTime } from 'luxon';
import { z } from 'zod';
import { describeFailure } from '../executor/failures.js';
import { defineChatTool } from './descriptor.js';
import { checkContact, checkRange } from './guards.js';
import { day, email, name, phone, uuid } from './schemas.js';

/** Puts the customer on the waitlist for a service over a few days. */
export const joinWaitlistTool = defineChatTool({
  name: 'join_waitlist',
  action: 'waitlist.join',
  reversibility: { irreversible: false },
  contact: 'gives',
  changesBooking: false,
  description: "Put the customer on the waitlist for a service between two dates when nothing fits. Needs the customer's name and an email or phone.",
  args: z.strictObject({ serviceId: uuid, from: day, to: day.optional(), name, email: email.optional(), phone: phone.optional() }),
  guardrail: { check: (args, context) => checkRange(args, context) ?? checkContact(args) },
  handler: async (args, { scope, deps }) => {
    const zone = scope.tenant.timeZone;
    const windowStart = DateTime.fromISO(args.from, { zone }).toISO()!;
    const windowEnd = DateTime.fromISO(args.to ?? args.from, { zone }).plus({ days: 1 }).toISO()!;
    // Idempotent per conversation and window, like confirming: a second "yes" after a lost reply
    // finds the entry this conversation already made instead of adding another.
    const waiting = await deps.engine.listWaitlist({ tenantId: scope.tenant.id, serviceId: args.serviceId, status: 'waiting' });
    const same = (a: string, b: string): boolean => Date.parse(a) === Date.parse(b);
    const existing = waiting.find((e) => e.sessionId === scope.session.id && same(e.windowStart, windowStart) && same(e.windowEnd, windowEnd));
    const entry =
      existing ??
      (await deps.engine.joinWaitlist({
        tenantId: scope.tenant.id,
        serviceId: args.serviceId,
        windowStart,
        windowEnd,
        client: { name: args.name, email: args.email, phone: args.phone },
        sessionId: scope.session.id,
      }));
    scope.ledger.waitlisted.push(entry.id);
    scope.emit({ type: 'waitlist', entryId: entry.id });
    return { entryId: entry.id, windowStart: entry.windowStart, windowEnd: entry.windowEnd, status: entry.status };
  },
  status: 'joining_waitlist',
  failure: (error) => describeFailure('join_waitlist', error),
  summary: { line: () => "You're on the waitlist." },
});
