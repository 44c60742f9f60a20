import { formatClock, formatLongTime } from './format-time.js';
import type { Locale, RenderedEmail, TemplateData, TemplateName } from './types.js';

interface Copy {
  subject: string;
  lines: string[];
}

type EmailCopy = (d: TemplateData, when: string, extra: { previous: string; until: string }) => Copy;

const refLine = (d: TemplateData, label: string): string[] => (d.reference ? [`${label}: ${d.reference}`] : []);

const copies: Record<Locale, Record<TemplateName, EmailCopy>> = {
  en: {
    confirmation: (d, when) => ({
      subject: `Confirmed: ${d.serviceName} on ${when}`,
      lines: [`Hi ${d.clientName},`, `Your ${d.serviceName} at ${d.businessName} is booked for ${when}.`, ...refLine(d, 'Reference'), 'The attached invitation adds it to your calendar.'],
    }),
    reschedule: (d, when, x) => ({
      subject: `Rescheduled: ${d.serviceName} now on ${when}`,
      lines: [`Hi ${d.clientName},`, `Your ${d.serviceName} at ${d.businessName} moved to ${when}${x.previous ? ` (it was ${x.previous})` : ''}.`, ...refLine(d, 'Reference')],
    }),
    cancellation: (d, when) => ({
      subject: `Cancelled: ${d.serviceName} on ${when}`,
      lines: [`Hi ${d.clientName},`, `Your ${d.serviceName} at ${d.businessName} on ${when} is cancelled.`, ...refLine(d, 'Reference'), 'Reply to this email if you would like a new time.'],
    }),
    reminder: (d, when) => ({
      subject: `Reminder: ${d.serviceName} on ${when}`,
      lines: [`Hi ${d.clientName},`, `A reminder of your ${d.serviceName} at ${d.businessName} on ${when}.`, ...refLine(d, 'Reference')],
    }),
    hold_followup: (d, when) => ({
      subject: `Still interested in ${d.serviceName}?`,
      lines: [`Hi ${d.clientName},`, `You were booking ${d.serviceName} at ${d.businessName} for ${when}, and the slot was released.`, 'Reply or chat with us again to book.'],
    }),
    waitlist_offer: (d, when, x) => ({
      subject: `A ${d.serviceName} slot opened on ${when}`,
      lines: [`Hi ${d.clientName},`, `A ${d.serviceName} slot at ${d.businessName} opened on ${when}. We are holding it for you until ${x.until}.`, d.offerUrl ? `Book it in one tap: ${d.offerUrl}` : 'Reply or chat with us to book it.'],
    }),
  },
  es: {
    confirmation: (d, when) => ({
      subject: `Confirmada: ${d.serviceName} el ${when}`,
      lines: [`Hola ${d.clientName}:`, `Tu cita de ${d.serviceName} en ${d.businessName} está confirmada para el ${when}.`, ...refLine(d, 'Referencia'), 'La invitación adjunta la añade a tu calendario.'],
    }),
    reschedule: (d, when, x) => ({
      subject: `Cambio de cita: ${d.serviceName} el ${when}`,
      lines: [`Hola ${d.clientName}:`, `Tu cita de ${d.serviceName} en ${d.businessName} se movió al ${when}${x.previous ? ` (antes: ${x.previous})` : ''}.`, ...refLine(d, 'Referencia')],
    }),
    cancellation: (d, when) => ({
      subject: `Cancelada: ${d.serviceName} el ${when}`,
      lines: [`Hola ${d.clientName}:`, `Tu cita de ${d.serviceName} en ${d.businessName} del ${when} fue cancelada.`, ...refLine(d, 'Referencia'), 'Responde a este correo si quieres otro horario.'],
    }),
    reminder: (d, when) => ({
      subject: `Recordatorio: ${d.serviceName} el ${when}`,
      lines: [`Hola ${d.clientName}:`, `Te recordamos tu cita de ${d.serviceName} en ${d.businessName} el ${when}.`, ...refLine(d, 'Referencia')],
    }),
    hold_followup: (d, when) => ({
      subject: `¿Sigues interesado en ${d.serviceName}?`,
      lines: [`Hola ${d.clientName}:`, `Estabas reservando ${d.serviceName} en ${d.businessName} para el ${when} y el horario se liberó.`, 'Responde o vuelve a escribirnos para reservar.'],
    }),
    waitlist_offer: (d, when, x) => ({
      subject: `Se liberó un horario de ${d.serviceName} el ${when}`,
      lines: [`Hola ${d.clientName}:`, `Se liberó un horario de ${d.serviceName} en ${d.businessName} el ${when}. Lo reservamos para ti hasta las ${x.until}.`, d.offerUrl ? `Resérvalo con un toque: ${d.offerUrl}` : 'Responde o escríbenos para reservarlo.'],
    }),
  },
};

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML; names and services come from customers and staff. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => htmlEscapes[char]!);
}

/** Renders an email's subject, plain text and HTML in the tenant's zone. */
export function renderEmail(template: TemplateName, locale: Locale, data: TemplateData): RenderedEmail {
  const when = formatLongTime(data.start, data.timeZone, locale);
  const extra = {
    previous: data.previousStart ? formatLongTime(data.previousStart, data.timeZone, locale) : '',
    until: data.expiresAt ? formatClock(data.expiresAt, data.timeZone, locale) : '',
  };
  const copy = copies[locale][template](data, when, extra);
  const signature = `— ${data.businessName}`;
  const text = [...copy.lines, '', signature].join('\n');
  const html = `<!doctype html><html lang="${locale}"><body>${[...copy.lines, signature].map((line) => `<p>${escapeHtml(line)}</p>`).join('')}</body></html>`;
  return { subject: copy.subject, text, html };
}
