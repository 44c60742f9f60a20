import type { Brain, BrainReply, BrainTurn } from '../types.js';
import { runBooking } from './flow-book.js';
import { answerFromFaq } from './flow-faq.js';
import { runCancel, runLookup, runReschedule } from './flow-manage.js';
import { declineOffer, presentOffer } from './flow-offer.js';
import { describeNextOpen } from './opening.js';
import { runWaitlist } from './flow-waitlist.js';
import { welcomeBack } from './flow-welcome.js';
import { translateToSpanish } from './spanish.js';
import { describeHours, describeServices, greeting, help, identity, notSpoken, refusal } from './replies.js';
import { hasTime, loadState, startFlow, type Ctx, type OfflineState } from './state.js';
import { understandTime } from './understand-time.js';
import { understand } from './understand.js';

const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const weekdaysEs = ['lunes', 'martes', 'mi[eé]rcoles', 'jueves', 'viernes', 's[aá]bados?', 'domingos?'];

function askedWeekday(text: string): number | undefined {
  const index = weekdays.findIndex((day, i) => new RegExp(`\\b${day}s?\\b|(?<![\\p{L}])${weekdaysEs[i]}(?![\\p{L}])`, 'iu').test(text));
  return index === -1 ? undefined : index + 1;
}

function absorb(ctx: Ctx): void {
  const { s, u } = ctx;
  if (u.name) s.name = u.name;
  if (u.email) s.email = u.email;
  if (u.phone) s.phone = u.phone;
  // A pinned summary is what the customer is answering: a reference mentioned now is not it.
  if (u.reference && !s.pinned) s.reference = u.reference;
}

// Contact details and references are not dates: "555-123-4567" must not become a day.
function stripForTime(text: string): string {
  return text
    .replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, ' ')
    .replace(/\bGM-?[0-9A-Z]{5}\b/gi, ' ')
    .replace(/(?:\+\d[\d\s().-]{7,}\d|\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4})/g, ' ')
    // A one-time code (6 digits) is not a time either.
    .replace(/(?<!\d)\d{3}[\s-]?\d{3}(?!\d)/g, ' ');
}

async function route(ctx: Ctx): Promise<string> {
  const { s, u, turn } = ctx;
  if (u.isInjection) return refusal;
  // Names in any script are welcome where one is asked for; elsewhere say plainly what we speak.
  if (u.isForeign && !u.isSpanish && s.step !== 'details' && !u.email && !u.reference) return notSpoken;
  if (u.asksIdentity) return identity(turn.tenant);
  if (u.asksHours && !(u.intent && hasTime(ctx.time))) {
    const asked = askedWeekday(turn.text);
    const opening = await turn.readOpeningHours();
    const hours = describeHours(opening, turn.tenant, asked) + (asked !== undefined && !opening.some((h) => h.weekday === asked) ? describeNextOpen(opening, ctx) : '');
    return s.flow === 'idle' ? `${hours} Would you like to book an appointment?` : hours;
  }
  const answered = await answerFromFaq(ctx);
  if (answered !== null) return answered;
  if (u.asksServices && s.flow === 'idle' && !u.service) return describeServices(ctx.services);
  if (/\b(never ?mind|forget it|changed my mind|don'?t want (it|to)|stop)\b/i.test(turn.text) && s.flow !== 'idle') {
    startFlow(s, 'idle');
    // A held slot blocks other customers until it lapses: give it back now (a system action on the
    // conversation's own holds, audited; not one of the customer tools).
    const released = await turn.releaseHolds();
    if (released > 0) return "No problem, I've let go of the time I was holding for you, and nothing was booked. Is there anything else I can help with?";
    return "No problem, I've stopped there and nothing was changed. Is there anything else I can help with?";
  }
  if (u.intent && u.intent !== s.flow) {
    if (u.intent === 'waitlist' && s.flow === 'book') s.flow = 'waitlist';
    else if (!(u.intent === 'book' && s.flow !== 'idle')) startFlow(s, u.intent);
    absorb(ctx);
  }
  const declined = await declineOffer(ctx);
  if (declined !== null) return declined;
  const welcome = await welcomeBack(ctx);
  if (welcome !== null) return welcome;
  if (s.flow === 'idle') {
    if (u.service || hasTime(ctx.time)) startFlow(s, 'book');
    else if (u.isThanks) return "You're welcome! Is there anything else I can help with?";
    else if (u.isGreeting) return greeting(turn.tenant);
    else if (u.isNo) return 'Alright. Is there anything else I can help with?';
    else return help(turn.tenant);
  }
  switch (s.flow) {
    case 'book':
      return runBooking(ctx);
    case 'reschedule':
      return runReschedule(ctx);
    case 'cancel':
      return runCancel(ctx);
    case 'lookup':
      return runLookup(ctx);
    default:
      return runWaitlist(ctx);
  }
}

/**
 * The offline receptionist: deterministic slot filling with no model and no network, so gomomo
 * works out of the box. It acts only through the same tools, executor and guardrails as a model,
 * and keeps its working memory in the session state (Postgres), so a restart loses nothing.
 */
export function createOfflineBrain(): Brain {
  return {
    name: 'offline',
    historyLimit: 0,
    async respond(turn: BrainTurn): Promise<BrainReply> {
      const services = await turn.listServices();
      const s: OfflineState = loadState(turn);
      const u = understand(turn.text, services);
      // Spanish once the customer writes it; back to English only on a clearly English message.
      if (u.isSpanish) s.lang = 'es';
      else if (s.lang === 'es' && u.isEnglish) s.lang = 'en';
      const time = understandTime(stripForTime(turn.text), { now: turn.now, timeZone: turn.tenant.timeZone, lang: s.lang });
      const ctx: Ctx = { turn, u, time, s, services };
      absorb(ctx);
      presentOffer(ctx);
      const text = await route(ctx);
      return { text: s.lang === 'es' ? translateToSpanish(text) : text, state: { ...s } };
    },
  };
}
