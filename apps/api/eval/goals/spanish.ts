import { yes, type Goal } from '../goal.js';
import { anasBooking } from './shared.js';

// Spanish, which the widget ships. The yes is "ok" until decideConsent reads "sí" (trust-consent).
/** Spanish conversations: book, reschedule, cancel, waitlist, hours, and a no. */
export const spanishGoals: Goal[] = [
  { id: 'es-book', category: 'book', conversations: [['Hola, quiero reservar una consulta el martes 10 de marzo a las 10', 'Ana Silva, ana@example.com', yes('Ok')]], expect: { booked: ['2026-03-10T10:00'], reply: /^Reserva hecha/ } },
  { id: 'es-book-morning', category: 'book', conversations: [['Necesito una cita para una consulta el miércoles por la mañana', 'a las 11', 'Ana Silva, ana@example.com', yes('ok')]], expect: { booked: ['2026-03-11T11:00'], reply: /^Reserva hecha/ } },
  { id: 'es-reschedule', category: 'reschedule', seeds: [anasBooking], conversations: [['Quiero cambiar mi cita {A} al viernes 13 de marzo a las 3, ana@example.com', '{CODE}', yes('ok')]], expect: { seeds: { A: '2026-03-13T15:00' }, reply: /^Hecho: su Consultation ha pasado/ } },
  { id: 'es-cancel', category: 'cancel', seeds: [anasBooking], conversations: [['Quiero cancelar mi cita {A}, mi correo es ana@example.com', '{CODE}', yes('ok')]], expect: { seeds: { A: 'cancelled' }, reply: /está cancelada/ } },
  { id: 'es-cancel-no', category: 'cancel', seeds: [anasBooking], conversations: [['Quiero cancelar mi cita {A}, mi correo es ana@example.com', '{CODE}', 'no, gracias']], expect: { reply: /sigue igual/ } },
  { id: 'es-waitlist', category: 'waitlist', conversations: [['¿Me puede apuntar en la lista de espera para una consulta el lunes 9 de marzo?', 'Pablo Ruiz, pablo@example.com']], expect: { waitlist: 1, reply: /^Está en la lista de espera/ } },
  { id: 'es-hours', category: 'information', conversations: [['¿Cuál es su horario?']], expect: { reply: /abre lunes–viernes 9:00–17:00/ } },
  { id: 'es-closed-day', category: 'information', conversations: [['¿Abren el domingo?']], expect: { reply: /los domingos cerramos/ } },
  { id: 'other-language', category: 'information', conversations: [['Bonjour, je voudrais un rendez-vous demain matin']], expect: { reply: /only help in English or Spanish/ } },
];
