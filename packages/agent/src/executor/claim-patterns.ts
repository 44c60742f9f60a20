// What a claim that something happened looks like, English and Spanish. Each pattern runs on one
// clause of a reply (claim-check.ts splits sentences at commas, dashes and "and"/"but"), lower case
// with accents folded. They are wide on purpose: a false alarm costs an extra "To be clear" line,
// a miss leaves a customer believing in an appointment that does not exist.

/** The outcomes a reply can claim. `done` is a claim with no kind ("All set!"); `reference` a booking reference nothing backs. */
export type ClaimKind = 'created' | 'rescheduled' | 'cancelled' | 'waitlisted' | 'done' | 'reference' | 'fact';

export type Lang = 'en' | 'es';

const subject = String.raw`(i('ve| have)?|we('ve| have)?|i just|we just|i've just|we've just|i have just)`;

// Waitlist first: "te he apuntado en la lista de espera" is a waitlist claim, not a booking.
export const claimPatterns: Array<{ kind: Exclude<ClaimKind, 'reference' | 'fact'>; lang: Lang; pattern: RegExp }> = [
  {
    kind: 'waitlisted',
    lang: 'en',
    pattern:
      /\b(added you to (the|our) wait ?list|you('| a)re (now )?(on|in) (the|our) (wait ?list|list|queue)|(i('ve| have)?|we('ve| have)?) (put|added|placed|signed) you (on|to|up for) (the|our) wait ?list|wait ?list (entry )?(is )?(confirmed|done|created))\b/,
  },
  {
    kind: 'waitlisted',
    lang: 'es',
    pattern: /\b((te )?(he|hemos) (anadido|apuntado|agregado|puesto|anotado) (a|en) la lista de espera|estas (ya )?en la lista de espera)\b/,
  },
  {
    kind: 'created',
    lang: 'en',
    pattern: new RegExp(
      [
        String.raw`\byou('| a)?re (all |now |officially )?(booked|confirmed|scheduled|reserved|locked in|down for|in the (books|calendar|diary|system))\b`,
        String.raw`\b${subject} (booked|confirmed|scheduled|reserved|secured|locked( it| you)? in|put you down|got you (down|in|booked|scheduled)|made (the|your) (booking|appointment|reservation)|set (it|you|that) up|added (it|you|your appointment) to (the|our) (calendar|schedule|books))\b`,
        String.raw`\b(has|have) been (booked|confirmed|scheduled|reserved|made|secured|locked in)\b`,
        // "the email it was booked with" describes a booking; it claims nothing of this turn.
        String.raw`\b(is|are|was|were)( now| all| officially)? (booked|confirmed|scheduled|reserved|locked in|secured|in (the|our) (system|calendar|books|diary))\b(?! (with|under|using)([.,;!]|$| (the|your|its|that|which|an?)\b))`,
        String.raw`\bbooked (you|it|that|your|this)\b`,
        String.raw`\b(booking|appointment|reservation|slot|spot|visit) (is )?(now )?(confirmed|booked|reserved|secured|complete|made|locked in)\b`,
        String.raw`\b(booking|reservation) (complete|successful|done)\b`,
        String.raw`\bconfirmation (number|code)\b`,
        String.raw`^(booked|confirmed|reserved)\b`,
      ].join('|'),
    ),
  },
  {
    kind: 'created',
    lang: 'es',
    pattern:
      /\b((tu|su) (cita|reserva|turno) (esta|ha sido|fue|queda|quedo) (confirmada|reservada|agendada|lista|registrada)|te (he |hemos )?(reservado|agendado|apuntado|anotado)|(he|hemos) (reservado|agendado|confirmado|registrado)|quedas? (reservad[oa]|agendad[oa]|apuntad[oa])|^(reservado|confirmado|reservada|confirmada)\b|cita (confirmada|reservada))\b/,
  },
  {
    kind: 'rescheduled',
    lang: 'en',
    pattern: new RegExp(
      [
        String.raw`\b(has|have) been (moved|rescheduled|changed|shifted|switched)\b`,
        String.raw`\b${subject} (moved|rescheduled|changed|switched|shifted|updated|pushed) (it|you|your|the|that|this)\b`,
        String.raw`\b(is|was|are)( now)? (moved|rescheduled|changed)\b`,
        String.raw`\b(moved|rescheduled) (it|you|your|the|that)\b`,
        String.raw`\b(your )?new (time|date|slot|appointment time) is\b`,
        String.raw`\b(appointment|booking|visit) is now (on|at|for)\b`,
      ].join('|'),
    ),
  },
  {
    kind: 'rescheduled',
    lang: 'es',
    pattern: /\b((he|hemos) (movido|cambiado|reprogramado)|(tu|su) (cita|reserva) (fue|ha sido|quedo|esta) (movida|cambiada|reprogramada)|(la |tu )?nueva (hora|fecha) es)\b/,
  },
  {
    kind: 'cancelled',
    lang: 'en',
    pattern: new RegExp(
      [
        String.raw`\b(has|have) been (cancell?ed|removed|deleted|called off)\b`,
        String.raw`\b${subject} (cancell?ed|removed|deleted|called off)\b`,
        String.raw`\b(is|was|are)( now)? (cancell?ed|removed|deleted|gone|off the (books|calendar|schedule))\b`,
        String.raw`\bcancell?ed (it|your|the|that|this)\b`,
        String.raw`\bcancellation (is )?(confirmed|complete|done|processed)\b`,
        String.raw`\bno longer (booked|scheduled|on (the|our) (calendar|books|schedule))\b`,
        String.raw`^cancell?ed\b`,
      ].join('|'),
    ),
  },
  {
    kind: 'cancelled',
    lang: 'es',
    pattern: /\b((he|hemos) (cancelado|anulado|eliminado)|(tu|su) (cita|reserva) (fue|ha sido|esta|queda|quedo) (cancelada|anulada|eliminada)|cita cancelada|^cancelada)\b/,
  },
  {
    kind: 'done',
    lang: 'en',
    pattern: /(^(all )?done\b|\bit('s| is) (all )?done\b|\bconsider it done\b|\ball set\b|\byou('| a)re (all )?set\b|\btaken care of\b|\ball sorted\b)/,
  },
  { kind: 'done', lang: 'es', pattern: /(^listo\b|^hecho\b|\bya esta (hecho|listo)\b|\btodo listo\b)/ },
];

/** Words in a clause that make a claim pattern no claim: a denial, a condition, a future or an offer. */
export const hedgeWords =
  /\b(not|never|nothing|none|neither|nor|unable|cannot|once|if|when|after|until|unless|before|would|shall|should|could|might|may|going to|will be|want|like to|ready to|about to|yet|todavia|aun no|si|cuando|cuanto|quieres|quiere|puedo)\b|n't\b/;

/** A clause that opens a condition ("If you say yes, you're booked") makes the rest of its sentence no claim. */
export const conditionOpeners = /^\s*(if|once|when|as soon as|after|si|cuando|en cuanto|una vez)\b/;

/** "I can confirm", "happy to confirm": an announcement, not a hedge. */
export const assertionPrefaces = /\b(i can|i'm (happy|glad|pleased) to|i am (happy|glad|pleased) to|let me|i'd like to|i want to|puedo|me alegra) (confirm|tell you|let you know|say|confirmar|decirte)( that| que)?\b/g;

/** Honest lines that replace dropped claims, per kind and language. */
export const honestLines: Record<ClaimKind, Record<Lang, string>> = {
  created: { en: 'To be clear: nothing has been booked yet.', es: 'Para que quede claro: todavía no se ha reservado nada.' },
  rescheduled: { en: 'To be clear: your appointment has not been moved.', es: 'Para que quede claro: tu cita no se ha movido.' },
  cancelled: { en: 'To be clear: nothing has been cancelled.', es: 'Para que quede claro: no se ha cancelado nada.' },
  waitlisted: { en: 'To be clear: you are not on the waitlist yet.', es: 'Para que quede claro: todavía no estás en la lista de espera.' },
  done: { en: 'To be clear: nothing has been booked or changed.', es: 'Para que quede claro: no se ha reservado ni cambiado nada.' },
  fact: {
    en: "To be clear: I can only tell you what the business has written down, and I don't have an answer to that.",
    es: 'Para que quede claro: solo puedo decirte lo que el negocio ha escrito, y no tengo una respuesta para eso.',
  },
  reference: {
    en: 'To be clear: I can only give you the reference of a booking made or found in this conversation.',
    es: 'Para que quede claro: solo puedo darte la referencia de una reserva hecha o encontrada en esta conversación.',
  },
};
