import type { Service, Tenant } from '@gomomo/core';
import { DateTime } from 'luxon';
import type { OfferedSlot } from '../../types.js';
import type { OpeningHours } from '../types.js';

const weekdayNames = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function clock(time: string): string {
  return DateTime.fromFormat(time.slice(0, 5), 'HH:mm').toFormat('h:mm a');
}

/** "Monday–Friday 9:00 AM–5:00 PM": consecutive days with the same hours read as one range. */
export function describeHours(hours: OpeningHours[], tenant: Tenant, askedDay?: number): string {
  if (hours.length === 0) return `I don't have opening hours on file for ${tenant.name}. Please contact the business directly.`;
  const byDay = new Map<number, string>();
  for (const h of [...hours].sort((a, b) => a.weekday - b.weekday || a.opens.localeCompare(b.opens))) {
    const span = `${clock(h.opens)}–${clock(h.closes)}`;
    byDay.set(h.weekday, byDay.has(h.weekday) ? `${byDay.get(h.weekday)} and ${span}` : span);
  }
  if (askedDay !== undefined) {
    const span = byDay.get(askedDay);
    return span ? `Yes, on ${weekdayNames[askedDay]}s we're open ${span}.` : `Sorry, we're closed on ${weekdayNames[askedDay]}s.`;
  }
  const groups: Array<{ from: number; to: number; span: string }> = [];
  for (const [day, span] of byDay) {
    const last = groups.at(-1);
    if (last && last.span === span && last.to === day - 1) last.to = day;
    else groups.push({ from: day, to: day, span });
  }
  const parts = groups.map((g) => `${weekdayNames[g.from]}${g.to !== g.from ? `–${weekdayNames[g.to]}` : ''} ${g.span}`);
  return `${tenant.name} is open ${parts.join(', ')} (${tenant.timeZone.replace(/_/g, ' ')} time).`;
}

function price(service: Service): string {
  if (service.priceCents === null) return '';
  const amount = new Intl.NumberFormat('en-US', { style: 'currency', currency: service.currency ?? 'USD' }).format(service.priceCents / 100);
  return `, ${amount}`;
}

export function describeServices(services: Service[]): string {
  const lines = services.map((s) => `- ${s.name} (${s.durationMinutes} min${price(s)})${s.description ? `: ${s.description}` : ''}`);
  return `We offer:\n${lines.join('\n')}\nWhich one would you like to book?`;
}

export function listServiceNames(services: Service[]): string {
  const names = services.map((s) => s.name);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/** A numbered list, so SMS customers can answer "2". */
export function listSlots(slots: OfferedSlot[]): string {
  return slots.map((slot, index) => `${index + 1}. ${slot.label}`).join('\n');
}

export function greeting(tenant: Tenant): string {
  return `Hi! I'm the automated booking assistant for ${tenant.name}. I can book, reschedule or cancel appointments, put you on the waitlist, or tell you our hours. How can I help?`;
}

export function identity(tenant: Tenant): string {
  return `I'm an automated assistant for ${tenant.name}, not a person. I can book, reschedule or cancel appointments and answer questions about our hours and services.`;
}

export function help(tenant: Tenant): string {
  return `I'm the automated assistant for ${tenant.name}. I can book, reschedule or cancel an appointment, put you on the waitlist, or tell you our hours and services. What would you like to do?`;
}

export const refusal =
  "I can't do that. I'm an automated booking assistant and my rules don't change: I can only help with your own appointments, and changing one needs its reference and the email or phone it was booked with.";

/** The offline brain speaks English and Spanish; any other language gets this honest answer. */
export const notSpoken =
  "Sorry, I can only help in English or Spanish (lo siento, solo puedo ayudar en inglés o español). I can book, reschedule or cancel an appointment, put you on the waitlist, or tell you our hours. What would you like to do?";
