import { describe, expect, it } from 'vitest';
import { detectPersonRequest } from './asks-for-person.js';

describe('detectPersonRequest', () => {
  it.each([
    ['Can I talk to a human?', 'en'],
    ['I want to speak to a real person', 'en'],
    ['agent', 'en'],
    ['Representative please', 'en'],
    ['operator!', 'en'],
    ['put me through to a person', 'en'],
    ['I need a human', 'en'],
    ['let me speak with someone at the front desk', 'en'],
    ['Quiero hablar con una persona', 'es'],
    ['¿Puedo hablar con un agente?', 'es'],
    ['necesito un humano', 'es'],
    ['representante', 'es'],
    ['hablar con alguien por favor', 'es'],
  ])('hears "%s" as a request for a person (%s)', (text, language) => {
    expect(detectPersonRequest(text)).toEqual({ language });
  });

  it.each([
    'I want to book a consultation for one person',
    'Is the doctor a real expert?',
    'My travel agent booked this',
    'Quiero una cita para dos personas',
    'Book me for tomorrow at 10',
  ])('does not hear "%s" as a request for a person', (text) => {
    expect(detectPersonRequest(text)).toBeNull();
  });
});
