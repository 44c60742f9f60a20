import { DateTime } from 'luxon';
import { formatDay } from '../../format/time.js';
import { describeBeyondWindow, describeClosed, lastBookableDay } from './opening.js';
import { listServiceNames } from './replies.js';
import { serviceOf, startFlow, type Ctx } from './state.js';
import { readBareName } from './understand.js';

/** The waitlist flow: service → days → name and contact → on the list. */
export async function runWaitlist(ctx: Ctx): Promise<string> {
  const { s, u, time, turn } = ctx;
  if (u.service) s.serviceId = u.service.id;
  if (time.date) s.when = time;
  if (s.step === 'details' && !s.name && !u.name) s.name = readBareName(turn.text) ?? undefined;
  if (!s.serviceId) {
    if (ctx.services.length === 1) s.serviceId = ctx.services[0]!.id;
    else {
      s.step = 'service';
      return `Which service should I put you on the waitlist for: ${listServiceNames(ctx.services)}?`;
    }
  }
  if (!s.when?.date) {
    s.step = 'date';
    return 'For which day (or days) would you like to be on the waitlist?';
  }
  if (s.when.isPast) {
    s.when = undefined;
    s.step = 'date';
    return 'That day has already passed. Which upcoming day should I put you on the waitlist for?';
  }
  // The waitlist is for days customers can book: within the booking window and on open days.
  const window = { ...s.when, ...(s.when.dateTo && s.when.dateTo > lastBookableDay(ctx) && s.when.date <= lastBookableDay(ctx) ? { dateTo: lastBookableDay(ctx) } : {}) };
  const beyond = describeBeyondWindow(ctx, window);
  if (beyond) {
    s.when = undefined;
    s.step = 'date';
    return `${beyond} Which day before then should I put you on the waitlist for?`;
  }
  s.when = window;
  const closed = await describeClosed(ctx, { date: s.when.date, ...(s.when.dateTo ? { dateTo: s.when.dateTo } : {}) });
  if (closed) {
    s.when = undefined;
    s.step = 'date';
    return `${closed.text} Which open day should I put you on the waitlist for?`;
  }
  if (!s.name || !(s.email || s.phone)) {
    s.step = 'details';
    if (!s.name && (s.email || s.phone)) {
      // SMS and voice: the channel's number for the customer is already in s.phone; asking for it again is noise.
      const channelPhone = turn.verifiedContact?.phone ?? turn.offeredContact?.phone;
      return channelPhone && s.phone === channelPhone
        ? "What name should I put on the waitlist? We'll text this number when a time opens up."
        : 'What name should I put on the waitlist?';
    }
    return s.name ? 'What email address or phone number should we use to reach you when a time opens up?' : 'What name and email address or phone number should we use to reach you when a time opens up?';
  }
  const zone = turn.tenant.timeZone;
  const from = s.when.date!;
  const to = s.when.dateTo ?? from;
  const result = await turn.callTool('join_waitlist', { serviceId: s.serviceId, from, to, name: s.name, ...(s.email ? { email: s.email } : { phone: s.phone }) });
  const service = serviceOf(ctx)?.name ?? 'your appointment';
  const days = to === from ? formatDay(from, zone) : `${formatDay(from, zone)} to ${formatDay(to, zone)}`;
  if (!result.ok) {
    s.step = 'date';
    if (result.code === 'GUARDRAIL') return `I can add you for up to two weeks, starting from today (${DateTime.fromJSDate(turn.now, { zone }).toFormat('LLLL d')}). Which days should I use?`;
    return "Sorry, I couldn't add you to the waitlist just now. Shall I try again?";
  }
  startFlow(s, 'idle');
  return `You're on the waitlist for ${service} on ${days}. We'll contact you if a time opens up. Anything else?`;
}
