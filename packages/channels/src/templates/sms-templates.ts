import { formatClock, formatShortTime } from './format-time.js';
import { isGsm7, measureSms, toGsm7 } from './gsm7.js';
import type { Locale, TemplateData, TemplateName } from './types.js';

/** The parts of an SMS that may be shortened to make it fit one segment. */
interface Fields {
  biz: string;
  service: string;
  when: string;
  ref: string;
  until: string;
}

type SmsText = (f: Fields) => string;

// Wording kept short on purpose: confirmations and reminders must fit one 160-character GSM-7 SMS.
// "STOP" is the carrier-mandated opt-out keyword (CTIA guidelines), kept in English in both locales.
const texts: Record<Locale, Record<TemplateName, SmsText>> = {
  en: {
    confirmation: (f) => `${f.biz}: ${f.service} booked for ${f.when}. Ref ${f.ref}. Reply STOP to opt out.`,
    reminder: (f) => `${f.biz} reminder: ${f.service} on ${f.when}. Ref ${f.ref}. Reply STOP to opt out.`,
    reschedule: (f) => `${f.biz}: your ${f.service} moved to ${f.when}. Ref ${f.ref}. Reply STOP to opt out.`,
    cancellation: (f) => `${f.biz}: your ${f.service} on ${f.when} is cancelled. Ref ${f.ref}. Reply STOP to opt out.`,
    hold_followup: (f) => `${f.biz}: still want ${f.service} on ${f.when}? The slot was released; reply to book again. Reply STOP to opt out.`,
    waitlist_offer: (f) => `${f.biz}: a ${f.service} slot opened on ${f.when}, held for you until ${f.until}. Reply YES to book. STOP to opt out.`,
  },
  es: {
    confirmation: (f) => `${f.biz}: cita de ${f.service} confirmada el ${f.when}. Ref ${f.ref}. Responde STOP para no recibir mas.`,
    reminder: (f) => `${f.biz}: recuerda tu cita de ${f.service} el ${f.when}. Ref ${f.ref}. Responde STOP para no recibir mas.`,
    reschedule: (f) => `${f.biz}: tu cita de ${f.service} se movio al ${f.when}. Ref ${f.ref}. STOP para no recibir mas.`,
    cancellation: (f) => `${f.biz}: tu cita de ${f.service} del ${f.when} fue cancelada. Ref ${f.ref}. STOP para no recibir mas.`,
    hold_followup: (f) => `${f.biz}: ¿sigues queriendo ${f.service} el ${f.when}? El horario se libero; responde para reservar. STOP para no recibir mas.`,
    waitlist_offer: (f) => `${f.biz}: se libero un horario de ${f.service} el ${f.when}, reservado hasta las ${f.until}. Responde para reservar. STOP: no recibir mas.`,
  },
};

/** Templates that must fit one 160-character segment; the others may run to two. */
const singleSegment = new Set<TemplateName>(['confirmation', 'reminder']);

function truncate(value: string, length: number): string {
  if (value.length <= length) return value;
  return length <= 1 ? value.slice(0, Math.max(length, 0)) : `${value.slice(0, length - 1).trimEnd()}.`;
}

/**
 * The most a body may measure: one segment (160 septets) for confirmations and reminders, two for
 * the rest. A name with letters outside GSM-7 is kept as written and sends the SMS as UCS-2
 * (67 units per part): those bodies may take one part more, because truncating a name to fit 70
 * units would leave almost nothing of it.
 */
function limitOf(template: TemplateName, body: string): number {
  if (isGsm7(body)) return singleSegment.has(template) ? 160 : 306;
  return singleSegment.has(template) ? 134 : 201;
}

/**
 * Renders an SMS body in GSM-7 where the data allows. Confirmation and reminder bodies are kept to
 * one 160-character segment by shortening the service name, then the business name.
 */
export function renderSms(template: TemplateName, locale: Locale, data: TemplateData): string {
  const fields: Fields = {
    biz: toGsm7(data.businessName.trim()),
    service: toGsm7(data.serviceName.trim()),
    // Our own words ("sáb") may lose an accent to stay in GSM-7; the names above never do.
    when: toGsm7(formatShortTime(data.start, data.timeZone, locale), { foldAccents: true }),
    ref: data.reference ?? '-',
    until: data.expiresAt ? toGsm7(formatClock(data.expiresAt, data.timeZone, locale), { foldAccents: true }) : '',
  };
  const text = texts[locale][template];
  let body = toGsm7(text(fields));
  // Shrink the longest free-text field by the overflow until it fits (never below 8 characters).
  for (let guard = 0; measureSms(body) > limitOf(template, body) && guard < 8; guard++) {
    const overflow = measureSms(body) - limitOf(template, body);
    const key: 'service' | 'biz' = fields.service.length >= fields.biz.length ? 'service' : 'biz';
    fields[key] = truncate(fields[key], Math.max(8, fields[key].length - overflow));
    body = toGsm7(text(fields));
  }
  return body.length > limitOf(template, body) ? body.slice(0, limitOf(template, body)) : body;
}
