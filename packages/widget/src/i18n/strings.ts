// Every string the widget shows lives in this one table, so a translation is one object and a
// test can check that no language misses a key.

const en = {
  title: 'Chat with us',
  automated: 'Automated assistant, not a person',
  greeting: 'Hi! I can book, reschedule or cancel an appointment for you. How can I help?',
  open: 'Open chat',
  close: 'Close chat',
  inputLabel: 'Your message',
  placeholder: 'Type a message…',
  send: 'Send',
  speak: 'Speak your message',
  typing: 'The assistant is typing',
  slotsLabel: 'Available times',
  you: 'You',
  assistant: 'Assistant',
  staff: 'Team member',
  retry: 'Retry',
  dismiss: 'Dismiss',
  'status.thinking': 'Thinking…',
  'status.checking_availability': 'Checking availability…',
  'status.holding': 'Holding your slot…',
  'status.booking': 'Booking…',
  'status.rescheduling': 'Rescheduling…',
  'status.cancelling': 'Cancelling…',
  'status.joining_waitlist': 'Joining the waitlist…',
  'status.booked': 'Booked',
  'card.created': 'Appointment booked',
  'card.rescheduled': 'Appointment moved',
  'card.cancelled': 'Appointment cancelled',
  'card.reference': 'Reference',
  'card.addToCalendar': 'Add to calendar',
  'push.slotOpened': 'A time you were waiting for just opened up.',
  'push.holdExpiring': 'Your held time expires in about {minutes} min. Confirm to keep it.',
  'push.holdExpired': 'Your held time has expired.',
  'push.waitlistOffer': 'Good news: a slot from the waitlist is available.',
  'push.book': 'Show me',
  'error.forbidden': 'This chat is not enabled on this website yet. Please contact the business directly.',
  'error.unauthorized': 'This chat is not set up correctly. Please contact the business directly.',
  'error.network': 'Can’t reach the assistant. Check your connection; we’ll keep trying.',
  'error.rateLimited': 'Too many messages at once. Please wait a moment.',
  'error.generic': 'Something went wrong. Please try again.',
  'error.offerGone': 'This offer link has expired or was already used. Ask me for another time.',
  'error.sendFailed': 'Your message wasn’t sent.',
  'device.offer': 'Remember me on this device? Next time you won’t need a code. Only a random key is kept here.',
  'device.remember': 'Remember me',
  'device.forget': 'Forget this device',
};

export type StringKey = keyof typeof en;
export type StringTable = Record<StringKey, string>;

const es: StringTable = {
  title: 'Chatea con nosotros',
  automated: 'Asistente automático, no una persona',
  greeting: '¡Hola! Puedo reservar, cambiar o cancelar una cita. ¿En qué te ayudo?',
  open: 'Abrir chat',
  close: 'Cerrar chat',
  inputLabel: 'Tu mensaje',
  placeholder: 'Escribe un mensaje…',
  send: 'Enviar',
  speak: 'Dictar su mensaje',
  typing: 'El asistente está escribiendo',
  slotsLabel: 'Horarios disponibles',
  you: 'Tú',
  assistant: 'Asistente',
  staff: 'Persona del equipo',
  retry: 'Reintentar',
  dismiss: 'Cerrar',
  'status.thinking': 'Pensando…',
  'status.checking_availability': 'Consultando disponibilidad…',
  'status.holding': 'Reservando tu horario…',
  'status.booking': 'Confirmando la cita…',
  'status.rescheduling': 'Cambiando la cita…',
  'status.cancelling': 'Cancelando…',
  'status.joining_waitlist': 'Uniéndote a la lista de espera…',
  'status.booked': 'Reservado',
  'card.created': 'Cita reservada',
  'card.rescheduled': 'Cita cambiada',
  'card.cancelled': 'Cita cancelada',
  'card.reference': 'Referencia',
  'card.addToCalendar': 'Añadir al calendario',
  'push.slotOpened': 'Se liberó un horario que estabas esperando.',
  'push.holdExpiring': 'Tu horario reservado vence en unos {minutes} min. Confírmalo para no perderlo.',
  'push.holdExpired': 'Tu horario reservado ha vencido.',
  'push.waitlistOffer': 'Buenas noticias: hay un horario disponible de la lista de espera.',
  'push.book': 'Ver',
  'error.forbidden': 'Este chat aún no está habilitado en este sitio web. Contacta directamente con el negocio.',
  'error.unauthorized': 'Este chat no está bien configurado. Contacta directamente con el negocio.',
  'error.network': 'No podemos conectar con el asistente. Revisa tu conexión; seguiremos intentándolo.',
  'error.rateLimited': 'Demasiados mensajes a la vez. Espera un momento.',
  'error.generic': 'Algo salió mal. Inténtalo de nuevo.',
  'error.offerGone': 'Este enlace de oferta venció o ya se usó. Pídeme otro horario.',
  'error.sendFailed': 'Tu mensaje no se envió.',
  'device.offer': '¿Recordarte en este dispositivo? La próxima vez no necesitarás un código. Aquí solo se guarda una clave aleatoria.',
  'device.remember': 'Recordarme',
  'device.forget': 'Olvidar este dispositivo',
};

/** The shipped languages. Add one by adding a complete table here. */
export const stringTables: Record<string, StringTable> = { en, es };

export type Translate = (key: StringKey, vars?: Record<string, string | number>) => string;

/** Picks the best shipped language for a BCP 47 tag (`es-MX` → `es`), English otherwise. */
export function resolveLanguage(requested: string | undefined): string {
  const base = (requested ?? '').toLowerCase().split('-')[0] ?? '';
  return base in stringTables ? base : 'en';
}

/** Returns a translator for one language; `{name}` placeholders are filled from `vars`. */
export function createTranslator(language: string): Translate {
  const table = stringTables[resolveLanguage(language)] ?? en;
  return (key, vars) => table[key].replace(/\{(\w+)\}/g, (whole, name: string) => String(vars?.[name] ?? whole));
}
