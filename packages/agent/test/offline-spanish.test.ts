import { createBookingEngine, type Appointment, type BookingEngine } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeHolds, appointments, conversation, createWorld, ny, waitlist, type World } from './support.js';

// Issue 12 item 9: Spanish, which the widget ships, is answered in Spanish end to end.
let world: World;
let engine: BookingEngine;
beforeAll(async () => {
  world = await createWorld();
  engine = createBookingEngine({ pool: world.pool, clock: world.clock });
});
afterAll(async () => world.db.drop());

async function seedBooking(start: string, key: string): Promise<Appointment> {
  const hold = await engine.hold({ tenantId: world.tenant.id, serviceId: world.services.consultation, start, sessionId: `seed-${key}` });
  return engine.confirm({ tenantId: world.tenant.id, holdId: hold.id, sessionId: `seed-${key}`, client: { name: 'Lucía Gómez', email: 'lucia@example.com' } });
}

// Words an English reply would have; none may reach a Spanish conversation.
const english = /\b(the|you|your|would|which|please|booked|shall|here are|we're|sorry)\b/i;

describe('regression: Spanish gets English replies that ignore the day and time and then loop', () => {
  it('books in Spanish: the day and time are understood, and every reply is Spanish', async () => {
    const c = conversation(world, 'es-book');
    const first = await c.say('Hola, quiero reservar una consulta el martes 10 de marzo a las 10');
    expect(first.reply).toMatch(/Le reservo mar 10 de marzo, 10:00 para Consultation/);
    const summary = await c.say('Ana Silva, ana@example.com');
    expect(summary.reply).toBe('Para confirmar: Consultation el mar 10 de marzo, 10:00 a nombre de Ana Silva (ana@example.com). ¿La reservo?');
    const done = await c.say('Ok');
    expect(done.reply).toMatch(/^Reserva hecha: Consultation con Dr\. \w+ el mar 10 de marzo, 10:00\. Su referencia es GM-[0-9A-Z]{5}/);
    for (const turn of [first, summary, done]) expect(turn.reply).not.toMatch(english);
    const rows = (await appointments(world)).filter((a) => a.session_id === 'es-book');
    expect(rows.map((r) => r.starts_at.toISOString())).toEqual([ny('2026-03-10T10:00')]);
  });

  it('offers times for a day in Spanish and takes one by its time', async () => {
    const c = conversation(world, 'es-offer');
    const offer = await c.say('Necesito una cita para una consulta el miércoles por la mañana');
    expect(offer.reply).toMatch(/^Estos son los horarios libres para Consultation antes de las 12:00 el miércoles 11 de marzo:/);
    expect(offer.reply).not.toMatch(english);
    const held = await c.say('a las 11');
    expect(held.reply).toMatch(/Le reservo mié 11 de marzo, 11:00/);
    expect((await activeHolds(world, 'es-offer'))[0]!.starts_at.toISOString()).toBe(ny('2026-03-11T11:00'));
  });

  it('reschedules in Spanish', async () => {
    const booking = await seedBooking(ny('2026-03-12T09:00'), 'es-move');
    const c = conversation(world, 'es-move');
    const summary = await c.say(`Quiero cambiar mi cita ${booking.reference} al viernes 13 de marzo a las 3, lucia@example.com`);
    expect(summary.reply).toBe('¿Cambio su Consultation del jue 12 de marzo, 9:00 al vie 13 de marzo, 15:00?');
    const done = await c.say('ok');
    expect(done.reply).toBe(`Hecho: su Consultation ha pasado del jue 12 de marzo, 9:00 al vie 13 de marzo, 15:00. Su referencia sigue siendo ${booking.reference}.`);
    expect((await appointments(world)).find((a) => a.reference === booking.reference)!.starts_at.toISOString()).toBe(ny('2026-03-13T15:00'));
  });

  it('cancels in Spanish, and a no keeps the booking in Spanish', async () => {
    const booking = await seedBooking(ny('2026-03-16T09:00'), 'es-cancel');
    const c = conversation(world, 'es-cancel');
    const summary = await c.say(`Quiero cancelar mi cita ${booking.reference}, mi correo es lucia@example.com`);
    expect(summary.reply).toBe(`He encontrado su Consultation del lun 16 de marzo, 9:00 (${booking.reference}). ¿La cancelo?`);
    const no = await c.say('no, gracias');
    expect(no.reply).toBe(`De acuerdo, su Consultation del lun 16 de marzo, 9:00 (${booking.reference}) sigue igual; no he tocado nada. ¿Le puedo ayudar en algo más?`);
    expect((await appointments(world)).find((a) => a.reference === booking.reference)!.status).toBe('booked');
    await c.say(`Quiero cancelar mi cita ${booking.reference}, mi correo es lucia@example.com`);
    const done = await c.say('ok');
    expect(done.reply).toBe(`Hecho: su Consultation del lun 16 de marzo, 9:00 (${booking.reference}) está cancelada. ¿Algo más?`);
    expect((await appointments(world)).find((a) => a.reference === booking.reference)!.status).toBe('cancelled');
  });

  it('puts the customer on the waitlist in Spanish', async () => {
    const c = conversation(world, 'es-waitlist');
    const ask = await c.say('¿Me puede apuntar en la lista de espera para una consulta el lunes 9 de marzo?');
    expect(ask.reply).toBe('¿Qué nombre y correo electrónico o teléfono usamos para avisarle cuando se libere un horario?');
    const done = await c.say('Pablo Ruiz, pablo@example.com');
    expect(done.reply).toBe('Está en la lista de espera para Consultation el lunes 9 de marzo. Le avisaremos si se libera un horario. ¿Algo más?');
    expect((await waitlist(world)).filter((w) => w.client_name === 'Pablo Ruiz')).toHaveLength(1);
  });

  it('answers the hours and a closed day in Spanish', async () => {
    const c = conversation(world, 'es-hours');
    const hours = await c.say('¿Cuál es su horario?');
    expect(hours.reply).toBe('Demo Clinic abre lunes–viernes 9:00–17:00 (hora de America/New York). ¿Quiere pedir una cita?');
    const sunday = await c.say('¿Abren el domingo?');
    expect(sunday.reply).toMatch(/^Lo siento, los domingos cerramos\. Volvemos a abrir el viernes 6 de marzo, 9:00–17:00\./);
  });
});
