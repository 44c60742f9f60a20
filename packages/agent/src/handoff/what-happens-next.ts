import { DateTime } from 'luxon';
import type { OpeningHours } from '../brains/types.js';
import type { HandoffLanguage } from './asks-for-person.js';

const weekdaysEs = ['', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado', 'domingo'];
const monthsEs = ['', 'enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];

function minutesOf(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

/**
 * The next time the business is open at or after `now`, in its zone: `now` itself while it is
 * open, otherwise the start of the next opening interval within a week. Null when the weekly
 * hours are empty. The weekly hours only (not date overrides): the line promises a reply then,
 * not a booking.
 */
export function findNextOpening(hours: OpeningHours[], input: { now: Date; timeZone: string }): { isOpenNow: boolean; at: DateTime } | null {
  const now = DateTime.fromJSDate(input.now, { zone: input.timeZone });
  const nowMinutes = now.hour * 60 + now.minute;
  for (let offset = 0; offset <= 7; offset++) {
    const day = now.startOf('day').plus({ days: offset });
    const spans = hours.filter((h) => h.weekday === day.weekday).sort((a, b) => minutesOf(a.opens) - minutesOf(b.opens));
    for (const span of spans) {
      const opens = minutesOf(span.opens);
      const closes = minutesOf(span.closes);
      if (offset === 0 && nowMinutes >= opens && nowMinutes < closes) return { isOpenNow: true, at: now };
      if (offset > 0 || opens > nowMinutes) return { isOpenNow: false, at: day.plus({ minutes: opens }) };
    }
  }
  return null;
}

/**
 * What the customer is told when the conversation goes to a person — honestly: during business
 * hours a team member will reply here; outside them, when the business next opens (in its zone).
 */
export function describeWhatHappensNext(hours: OpeningHours[], input: { now: Date; timeZone: string; language: HandoffLanguage }): string {
  const next = findNextOpening(hours, input);
  if (input.language === 'es') {
    if (next?.isOpenNow) return 'Le paso con nuestro equipo: una persona del equipo le responderá aquí en breve.';
    if (!next) return 'Le paso con nuestro equipo: una persona del equipo le responderá aquí en cuanto pueda.';
    const when = `el ${weekdaysEs[next.at.weekday]} ${next.at.day} de ${monthsEs[next.at.month]} a las ${next.at.toFormat('H:mm')}`;
    return `Le paso con nuestro equipo. Ahora estamos cerrados: una persona del equipo le responderá aquí cuando abramos, ${when}.`;
  }
  if (next?.isOpenNow) return "I'm passing you to our team: a team member will reply here shortly.";
  if (!next) return "I'm passing you to our team: a team member will reply here as soon as they can.";
  return `I'm passing you to our team. We're closed right now: a team member will reply here when we open, ${next.at.toFormat('cccc, LLLL d')} at ${next.at.toFormat('h:mm a')}.`;
}
