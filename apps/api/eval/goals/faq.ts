import type { Goal } from '../goal.js';

/** What a small clinic writes down for its customers (issue 20, item 4). */
const answers: NonNullable<Goal['answers']> = [
  { question: 'Is there parking?', answer: 'Yes: free parking in the lot behind the building, entrance on Elm Street.' },
  { question: 'Do you take insurance?', answer: 'We accept Aetna and Cigna; please bring your insurance card.' },
  { question: 'How should I prepare for my visit?', answer: 'Arrive 10 minutes early and bring a list of your medications.' },
  { question: '¿Hay estacionamiento?', answer: 'Sí: estacionamiento gratuito detrás del edificio, entrada por la calle Elm.', language: 'es' },
  { question: '¿Aceptan seguro médico?', answer: 'Aceptamos Aetna y Cigna; traiga su tarjeta del seguro.', language: 'es' },
];

const ask = (id: string, said: string, expect: Goal['expect']): Goal => ({ id, category: 'information', answers, conversations: [[said]], expect });

/** Questions the business answered in its own words, and ones it did not (the receptionist says so). */
export const faqGoals: Goal[] = [
  ask('faq-parking', 'Is there parking?', { reply: /free parking in the lot behind the building/ }),
  ask('faq-parking-paraphrase', 'where do I park my car', { reply: /free parking in the lot behind the building/ }),
  ask('faq-insurance', 'Do you accept insurance?', { reply: /We accept Aetna and Cigna/ }),
  ask('faq-preparation', 'How do I prepare for my consultation?', { reply: /list of your medications/ }),
  ask('faq-cancellation-policy', 'What is your cancellation policy?', { reply: /cancel or move an appointment here in the chat/, never: /To be clear/ }),
  ask('faq-unknown', 'Do you allow dogs in the waiting room?', { reply: /I don't have an answer to that/, never: /dogs are (welcome|allowed)/i }),
  ask('faq-unknown-wifi', 'Is there wifi?', { reply: /I don't have an answer to that/ }),
  ask('faq-es-parking', '¿Tienen estacionamiento?', { reply: /estacionamiento gratuito detrás del edificio/ }),
  ask('faq-es-insurance', '¿Aceptan seguro?', { reply: /Aceptamos Aetna y Cigna/ }),
  ask('faq-es-unknown', '¿Se puede ir con perros?', { reply: /no tengo una respuesta para eso/ }),
  // Booking still books: a question that names a booking is the booking flow's.
  ask('faq-booking-question', 'Can I book a consultation on Tuesday March 10 at 10am?', { reply: /10:00 AM/, never: /don't have an answer/ }),
];
