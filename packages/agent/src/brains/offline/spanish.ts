// The offline brain writes its replies in English; a Spanish conversation gets them through this
// table, sentence by sentence. The table is the spec: every reply of the booking, rescheduling,
// cancelling, waitlist and hours flows has a line here (spanish.test.ts checks that none is left
// in English for the sample replies; test/offline-spanish.test.ts runs whole conversations). A
// declined action is said without "he cambiado" / "he reservado", which the claim check reads as claims.

const weekdays: Record<string, string> = { Monday: 'lunes', Tuesday: 'martes', Wednesday: 'miércoles', Thursday: 'jueves', Friday: 'viernes', Saturday: 'sábado', Sunday: 'domingo' };
const weekdaysPlural: Record<string, string> = { Monday: 'lunes', Tuesday: 'martes', Wednesday: 'miércoles', Thursday: 'jueves', Friday: 'viernes', Saturday: 'sábados', Sunday: 'domingos' };
const shortWeekdays: Record<string, string> = { Mon: 'lun', Tue: 'mar', Wed: 'mié', Thu: 'jue', Fri: 'vie', Sat: 'sáb', Sun: 'dom' };
const months: Record<string, string> = { January: 'enero', February: 'febrero', March: 'marzo', April: 'abril', May: 'mayo', June: 'junio', July: 'julio', August: 'agosto', September: 'septiembre', October: 'octubre', November: 'noviembre', December: 'diciembre' };
const shortMonths: Record<string, string> = Object.fromEntries(Object.entries(months).map(([en, es]) => [en.slice(0, 3), es]));

/** "2:30 PM" → "14:30": Spanish reads the 24-hour clock. */
function clock(hour: string, minute: string, meridiem: string): string {
  const h = (Number(hour) % 12) + (meridiem.toUpperCase() === 'PM' ? 12 : 0);
  return `${h}:${minute}`;
}

const dayNames = Object.keys(weekdays).join('|');
const monthNames = Object.keys(months).join('|');

/** Dates and times first: the sentence lines below then match the Spanish dates. */
const dates: Array<[RegExp, (...groups: string[]) => string]> = [
  [new RegExp(`\\b(${Object.keys(shortWeekdays).join('|')}), (${Object.keys(shortMonths).join('|')}) (\\d{1,2}), (\\d{1,2}):(\\d{2}) (AM|PM)\\b`, 'g'), (...g) => `${shortWeekdays[g[1]!]} ${g[3]} de ${shortMonths[g[2]!]}, ${clock(g[4]!, g[5]!, g[6]!)}`],
  [new RegExp(`\\b(${dayNames}), (${monthNames}) (\\d{1,2})\\b`, 'g'), (...g) => `${weekdays[g[1]!]} ${g[3]} de ${months[g[2]!]}`],
  [new RegExp(`\\b(${monthNames}) (\\d{1,2})\\b`, 'g'), (_, m, day) => `${day} de ${months[m!]}`],
  [new RegExp(`\\b(${dayNames})s\\b`, 'g'), (_, d) => `los ${weekdaysPlural[d!]}`],
  [new RegExp(`\\b(${dayNames})\\b`, 'g'), (_, d) => weekdays[d!]!],
  [/\b(\d{1,2}):(\d{2}) (AM|PM)\b/g, (...g) => clock(g[1]!, g[2]!, g[3]!)],
];

/** Sentence by sentence, most specific first. `$n` are the English sentence's captures. */
export const spanishLines: Array<[RegExp, string]> = [
  // Booking
  [/Sure! Which service would you like: (.+)\?/, '¡Claro! ¿Qué servicio desea: $1?'],
  [/Here are open times for (.+?) in the next few days:/, 'Estos son los horarios libres para $1 en los próximos días:'],
  [/Here are open times for (.+?) (on|after|before|between|at) /, 'Estos son los horarios libres para $1 $2 '],
  [/(.+?) isn't available, but these are open for (.+?):/, '$1: no está disponible, pero estos horarios están libres para $2:'],
  [/Here are some other open times:/, 'Estos son otros horarios libres:'],
  [/Reply with the number or the time that suits you\./, 'Responda con el número o la hora que le convenga.'],
  [/Reply with the number, or tell me another day\./, 'Responda con el número o dígame otro día.'],
  [/Which of the times above suits you\? Reply with its number, or ask for another time\./, '¿Cuál de estos horarios le conviene? Responda con su número o pida otro horario.'],
  [/Please reply with a number from 1 to (\d+)\./, 'Responda con un número del 1 al $1, por favor.'],
  [/I'm holding (.+?) for (.+?) for you for a few minutes\./, 'Le reservo $1 para $2 durante unos minutos.'],
  [/To book it, what name and email address or phone number should I use\?/, 'Para reservarla, ¿qué nombre y correo electrónico o teléfono uso?'],
  [/What name should I put the booking under\?/, '¿A nombre de quién hago la reserva?'],
  [/What email address or phone number should I use for the booking, (.+?)\?/, '¿Qué correo electrónico o teléfono uso para la reserva, $1?'],
  [/To confirm: (.+?) on (.+?) for (.+?) \((.+?)\)\. Shall I book it\?/, 'Para confirmar: $1 el $2 a nombre de $3 ($4). ¿La reservo?'],
  [/You're booked: (.+?) with (.+?) on (.+?)\. Your reference is (GM-\w+) — keep it to reschedule or cancel\./, 'Reserva hecha: $1 con $2 el $3. Su referencia es $4; guárdela para cambiarla o cancelarla.'],
  [/OK — nothing booked: I've let go of (.+?)\./, 'De acuerdo, he liberado $1 y no hay ninguna reserva nueva.'],
  [/Just to be sure: shall I book (.+?) on (.+?)\? Please answer yes or no\./, 'Para estar seguros: ¿reservo $1 el $2? Responda sí o no, por favor.'],
  [/The hold on that time ran out, so I took (.+?) again for you\. Shall I book it now\?/, 'La reserva provisional caducó, así que he vuelto a reservar $1. ¿La confirmo ahora?'],
  [/Sorry, (.+?) was just taken by someone else\./, 'Lo siento, alguien acaba de reservar $1.'],
  [/Just to double-check: (.+?) is (\d+) days from today\. Is that the date you want\?/, 'Para confirmar: $1 es dentro de $2 días. ¿Es la fecha que quiere?'],
  [/(.+?) has already passed\. Which upcoming day would suit you\?/, '$1 ya pasó. ¿Qué día próximo le vendría bien?'],
  [/We're closed on los (\p{L}+), so (.+?) isn't possible\./u, 'Los $1 cerramos, así que el $2 no es posible.'],
  [/We're closed at (.+?): on los (\p{L}+) we're open (.+?)\./u, 'A las $1 está cerrado: los $2 abrimos $3.'],
  [/Sorry, (.+?) has nothing free for (.+?)\. Would you like another day with (.+?), or someone else\?/, 'Lo siento, $1 no tiene nada libre para $2. ¿Quiere otro día con $3, o con otra persona?'],
  [/Would you like another day with (.+?), or someone else\?/, '¿Quiere otro día con $1, o con otra persona?'],
  [/Which day would suit you with (.+?)\?/, '¿Qué día le vendría bien con $1?'],
  [/I can't see who you saw before \(earlier visits show once your phone or email is proven\), so these times are with anyone available\./, 'No veo con quién tuvo sus citas anteriores (se ven una vez comprobado su teléfono o correo), así que estos horarios son con cualquier persona disponible.'],
  [/Sorry, there's nothing free for (.+?)\. Would you like me to put you on the waitlist for that, or shall we try another day\?/, 'Lo siento, no hay nada libre para $1. ¿Quiere que le apunte en la lista de espera o probamos otro día?'],
  [/No problem\. Which other day would suit you\?/, 'No hay problema. ¿Qué otro día le vendría bien?'],
  [/No problem\. Which day would you prefer instead\?/, 'No hay problema. ¿Qué día prefiere?'],
  [/(.+?) is further ahead than we take bookings: the calendar is open up to (.+?)\./, '$1 queda fuera de nuestro plazo de reservas: el calendario está abierto hasta el $2.'],
  [/Which day before then would suit you\?/, '¿Qué día antes de esa fecha le vendría bien?'],
  [/Which day before then should I put you on the waitlist for\?/, '¿Para qué día antes de esa fecha le apunto en la lista de espera?'],
  // Rescheduling, cancelling, looking up
  [/Sure\. Please give me your booking reference \(it looks like GM-7K3Q9\) and the email address or phone number you booked with\./, 'Claro. Indíqueme su referencia de reserva (con este aspecto: GM-7K3Q9) y el correo electrónico o teléfono con el que reservó.'],
  [/Thanks\. What email address or phone number was booking (GM-\w+) made with\?/, 'Gracias. ¿Con qué correo electrónico o teléfono se hizo la reserva $1?'],
  [/I found your (.+?) on (.+?) \((GM-\w+)\)\. Shall I cancel it\?/, 'He encontrado su $1 del $2 ($3). ¿La cancelo?'],
  [/Done: your (.+?) on (.+?) \((GM-\w+)\) has been cancelled\./, 'Hecho: su $1 del $2 ($3) está cancelada.'],
  [/OK — nothing changed: your (.+?) on (.+?) \((GM-\w+)\) stays as it is\./, 'De acuerdo, su $1 del $2 ($3) sigue igual; no he tocado nada.'],
  [/Just to be sure: shall I cancel your (.+?) on (.+?) \((GM-\w+)\)\? Please answer yes or no — nothing changes until you do\./, 'Para estar seguros: ¿cancelo su $1 del $2 ($3)? Responda sí o no; no cambio nada hasta entonces.'],
  [/Just to be sure: shall I move your (.+?) on (.+?) \((GM-\w+)\) to (.+?)\? Please answer yes or no — nothing changes until you do\./, 'Para estar seguros: ¿cambio su $1 del $2 ($3) al $4? Responda sí o no; no cambio nada hasta entonces.'],
  [/I found your (.+?) on (.+?)\. When would you like to move it to\?/, 'He encontrado su $1 del $2. ¿A cuándo quiere cambiarla?'],
  [/Move your (.+?) from (.+?) to (.+?)\?/, '¿Cambio su $1 del $2 al $3?'],
  [/Done: your (.+?) has been moved from (.+?) to (.+?)\. Your reference is still (GM-\w+)\./, 'Hecho: su $1 ha pasado del $2 al $3. Su referencia sigue siendo $4.'],
  [/Sorry, (.+?) was just taken, and your appointment is unchanged\./, 'Lo siento, acaban de reservar $1, y su cita sigue igual.'],
  [/I couldn't find booking (GM-\w+) with those details, so I can't change anything\. Please check the reference and the email or phone number you booked with\./, 'No encuentro la reserva $1 con esos datos, así que no puedo cambiar nada. Compruebe la referencia y el correo o teléfono con el que reservó.'],
  [/Your (.+?) is on (.+?) \(reference (GM-\w+)\)\. Would you like to reschedule or cancel it, or is there anything else I can help with\?/, 'Su $1 es el $2 (referencia $3). ¿Quiere cambiarla o cancelarla, o le ayudo en otra cosa?'],
  [/That booking is already cancelled\. Would you like to book a new appointment\?/, 'Esa reserva ya está cancelada. ¿Quiere pedir una cita nueva?'],
  [/That booking was already cancelled\./, 'Esa reserva ya estaba cancelada.'],
  [/Your (.+?) on (.+?) \((GM-\w+)\)\? Shall I cancel it\?/, '¿Su $1 del $2 ($3)? ¿La cancelo?'],
  [/Your (.+?) on (.+?) \((GM-\w+)\)\? When would you like to move it to\?/, '¿Su $1 del $2 ($3)? ¿A cuándo quiere cambiarla?'],
  [/You have (\d+) upcoming appointments:/, 'Tiene $1 citas próximas:'],
  [/Which one would you like to (?:move|cancel|check)\? Reply with its number\./, '¿Cuál de ellas? Responda con su número.'],
  [/(\d+)\. (.+?) on (.+?) \((GM-\w+)\)$/gm, '$1. $2 del $3 ($4)'],
  [/I couldn't find any upcoming appointments booked with this phone number\. If you booked with another number or an email address, please give me the booking reference \(it looks like GM-7K3Q9\) and that email or phone\./, 'No encuentro citas próximas reservadas con este número. Si reservó con otro número o con un correo electrónico, indíqueme la referencia (con este aspecto: GM-7K3Q9) y ese correo o teléfono.'],
  [/For your security I can't look up bookings in this conversation any more\. Please contact the business directly\./, 'Por su seguridad ya no puedo buscar reservas en esta conversación. Póngase en contacto directamente con el negocio.'],
  // Intake questions (flow-intake.ts); the questions themselves are the tenant's own Spanish text
  [/A few questions before I book it\. /, 'Unas preguntas antes de reservar. '],
  [/Sorry, I couldn't take that answer\. /, 'Lo siento, no he podido aceptar esa respuesta. '],
  [/ \(yes or no\)/, ' (sí o no)'],
  [/ \(a date like (\d{4}-\d{2}-\d{2})\)/, ' (una fecha como $1)'],
  [/ You can say "skip"\./, ' Puede decir «omitir».'],
  [/Please answer yes or no\./, 'Responda sí o no.'],
  [/Please choose one of: (.+?)\.(?= )/, 'Elija una de estas opciones: $1.'],
  [/Please give a date like (\d{4}-\d{2}-\d{2})\./, 'Indique una fecha como $1.'],
  [/This question needs an answer\./, 'Esta pregunta necesita una respuesta.'],
  // Returning customers (flow-welcome.ts)
  [/Welcome back, (.+?)! Would you like the same as last time: (.+?) with (.+?), in the morning\?/, '¡Bienvenido/a de nuevo, $1! ¿Quiere lo mismo que la última vez: $2 con $3, por la mañana?'],
  [/Welcome back, (.+?)! Would you like the same as last time: (.+?) with (.+?), in the afternoon\?/, '¡Bienvenido/a de nuevo, $1! ¿Quiere lo mismo que la última vez: $2 con $3, por la tarde?'],
  [/Welcome back, (.+?)! How can I help you today\?/, '¡Bienvenido/a de nuevo, $1! ¿En qué le puedo ayudar hoy?'],
  // One-time codes (flow-code.ts)
  [/To keep your booking safe, I've sent a 6-digit code to the email address on booking (GM-\w+) \((.+?)\)\. Please type it here; it's valid for (\d+) minutes\./, 'Para proteger su reserva, he enviado un código de 6 cifras al correo de la reserva $1 ($2). Escríbalo aquí; es válido durante $3 minutos.'],
  [/To keep your booking safe, I've sent a 6-digit code to the phone number on booking (GM-\w+) \((.+?)\)\. Please type it here; it's valid for (\d+) minutes\./, 'Para proteger su reserva, he enviado un código de 6 cifras al teléfono de la reserva $1 ($2). Escríbalo aquí; es válido durante $3 minutos.'],
  [/Please type the 6-digit code I sent you, or say "send a new code"\./, 'Escriba el código de 6 cifras que le envié, o diga «envíame otro código».'],
  [/That code doesn't match\. Please check it and try again \((\d+) tries? left\)\./, 'Ese código no coincide. Compruébelo e inténtelo de nuevo (le quedan $1 intentos).'],
  [/That code has expired\. Say "send a new code" and I'll send you another one\./, 'Ese código ha caducado. Diga «envíame otro código» y le enviaré otro.'],
  [/That code is locked after too many wrong tries, so I can't show or change the booking in this conversation\. You can ask again later, or contact the business directly\./, 'Ese código está bloqueado tras demasiados intentos fallidos, así que no puedo mostrar ni cambiar la reserva en esta conversación. Puede volver a pedirlo más tarde o contactar directamente con el negocio.'],
  [/I can't send another security code right now\. Please try again later, or contact the business directly\./, 'Ahora mismo no puedo enviar otro código de seguridad. Inténtelo más tarde o contacte directamente con el negocio.'],
  [/Sorry, I couldn't check that code just now\. Please type it again in a moment\./, 'Lo siento, ahora mismo no he podido comprobar el código. Escríbalo de nuevo en un momento.'],
  [/Sorry, I couldn't send a new code just now\. Please try again in a moment\./, 'Lo siento, ahora mismo no he podido enviar otro código. Inténtelo de nuevo en un momento.'],
  [/What name should I put on the waitlist\? We'll text this number when a time opens up\./, '¿Qué nombre pongo en la lista de espera? Le escribiremos a este número cuando se libere un horario.'],
  [/I can add you for up to two weeks, starting from today \((.+?)\)\. Which days should I use\?/, 'Puedo apuntarle para un máximo de dos semanas a partir de hoy ($1). ¿Qué días uso?'],
  [/I can look at up to two weeks at a time, starting from today\. Which day would you like\?/, 'Puedo mirar hasta dos semanas a partir de hoy. ¿Qué día quiere?'],
  // Waitlist
  [/Which service should I put you on the waitlist for: (.+)\?/, '¿Para qué servicio le apunto en la lista de espera: $1?'],
  [/For which day \(or days\) would you like to be on the waitlist\?/, '¿Para qué día (o días) quiere estar en la lista de espera?'],
  [/What name and email address or phone number should we use to reach you when a time opens up\?/, '¿Qué nombre y correo electrónico o teléfono usamos para avisarle cuando se libere un horario?'],
  [/What email address or phone number should we use to reach you when a time opens up\?/, '¿Qué correo electrónico o teléfono usamos para avisarle cuando se libere un horario?'],
  [/What name should I put on the waitlist\?(?! ¿)/, '¿Qué nombre pongo en la lista de espera?'],
  [/You're on the waitlist for (.+?) on (.+?)\. We'll contact you if a time opens up\./, 'Está en la lista de espera para $1 el $2. Le avisaremos si se libera un horario.'],
  [/That day has already passed\. Which upcoming day should I put you on the waitlist for\?/, 'Ese día ya pasó. ¿Para qué día próximo le apunto en la lista de espera?'],
  [/Which open day should I put you on the waitlist for\?/, '¿Para qué día en que abrimos le apunto en la lista de espera?'],
  // Hours, greetings and the rest
  [/(.+?) is open (.+?) \((.+?) time\)\./, '$1 abre $2 (hora de $3).'],
  [/Yes, on los (\p{L}+) we're open (.+?)\./u, 'Sí, los $1 abrimos $2.'],
  [/Sorry, we're closed on los (\p{L}+)\./u, 'Lo siento, los $1 cerramos.'],
  [/We're next open (.+?), (\d.+?)\./, 'Volvemos a abrir el $1, $2.'],
  [/Would you like to book an appointment\?/, '¿Quiere pedir una cita?'],
  [/Hi! I'm the automated booking assistant for (.+?)\. I can book, reschedule or cancel appointments, put you on the waitlist, or tell you our hours\. How can I help\?/, '¡Hola! Soy el asistente automático de reservas de $1. Puedo reservar, cambiar o cancelar citas, apuntarle en la lista de espera o decirle nuestro horario. ¿En qué le ayudo?'],
  [/I'm the automated assistant for (.+?)\. I can book, reschedule or cancel an appointment, put you on the waitlist, or tell you our hours and services\. What would you like to do\?/, 'Soy el asistente automático de $1. Puedo reservar, cambiar o cancelar una cita, apuntarle en la lista de espera o decirle nuestro horario y servicios. ¿Qué desea hacer?'],
  [/I'm an automated assistant for (.+?), not a person\. I can book, reschedule or cancel appointments and answer questions about our hours and services\./, 'Soy un asistente automático de $1, no una persona. Puedo reservar, cambiar o cancelar citas y responder preguntas sobre nuestro horario y servicios.'],
  [/We offer:/, 'Ofrecemos:'],
  [/Which one would you like to book\?/, '¿Cuál quiere reservar?'],
  [/No problem, I've let go of the time I was holding for you, and nothing was booked\./, 'No hay problema: he liberado el horario que le guardaba, y no hay ninguna reserva.'],
  [/No problem, I've stopped there and nothing was changed\./, 'No hay problema: lo dejo aquí, y todo sigue igual.'],
  [/I can't do that\. I'm an automated booking assistant and my rules don't change: I can only help with your own appointments, and changing one needs its reference and the email or phone it was booked with\./, 'No puedo hacer eso. Soy un asistente automático de reservas y mis reglas no cambian: solo puedo ayudarle con sus propias citas, y para cambiar una necesito su referencia y el correo o teléfono con que se reservó.'],
  [/You're welcome!/, '¡De nada!'],
  [/Alright\./, 'De acuerdo.'],
  [/Is there anything else I can help with\?|Anything else I can help with\?/, '¿Le puedo ayudar en algo más?'],
  [/Anything else\?/, '¿Algo más?'],
  [/Sorry, I couldn't (.+?) just now(.*?)\./, 'Lo siento, ahora mismo no he podido completarlo, y todo sigue igual.'],
  [/Please try again in a moment\.|Shall I try again\?|Which other day or time would suit you\?|Which day would you like me to try\?|Which time would you like me to try\?/, '¿Lo intento otra vez?'],
];

// Fragments of describeWhen ("after 3:00 PM on Tuesday, March 10") inside the lines above.
const fragments: Array<[RegExp, string]> = [
  [/\bbetween (\d{1,2}:\d{2}) and (\d{1,2}:\d{2})\b/gi, 'entre las $1 y las $2'],
  [/\bbetween (.+?) and (.+?)(?=[:.,]|$)/gim, 'entre el $1 y el $2'],
  [/\bafter (\d{1,2}:\d{2})/gi, 'después de las $1'],
  [/\bbefore (\d{1,2}:\d{2})/gi, 'antes de las $1'],
  [/\bat (\d{1,2}:\d{2})/gi, 'a las $1'],
  [/(^| )on ((?:lunes|martes|miércoles|jueves|viernes|sábado|domingo) \d)/gim, '$1el $2'],
  [/\bin the next few days\b/gi, 'en los próximos días'],
  [/\bwith (Dr\.)/g, 'con $1'],
];

/** The Spanish form of an offline brain reply: dates, then each known sentence, then describeWhen's words. */
export function translateToSpanish(text: string): string {
  let out = text;
  for (const [pattern, replace] of dates) out = out.replace(pattern, replace as (...groups: string[]) => string);
  for (const [pattern, replacement] of spanishLines) out = out.replace(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`), replacement);
  for (const [pattern, replacement] of fragments) out = out.replace(pattern, replacement);
  // describeWhen's words may open a line ("After 3:00 PM on …"): lines start with a capital.
  return out.replace(/^(\p{Ll})/gmu, (first) => first.toUpperCase());
}
