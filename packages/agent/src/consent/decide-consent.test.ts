import { describe, expect, it } from 'vitest';
import { decideConsent, type ConsentAction } from './decide-consent.js';

type Kind = 'yes' | 'no' | 'unclear';

// The spec: what each reply to a summary means. Phrases without an action answer "Shall I book
// it?"; the others answer "Shall I cancel it?" or "Shall I move it?".
const table: Array<[string, Kind, ConsentAction?]> = [
  // The replies quoted in issue 12: each one was taken as a yes.
  ["Please don't cancel it, I'll keep it.", 'no', 'cancel'],
  ['Ok no, leave it as it is.', 'no', 'cancel'],
  ['Perfect, I would rather keep it actually', 'no', 'cancel'],
  ["Fine, don't cancel it.", 'no', 'cancel'],
  ['please do not cancel', 'no', 'cancel'],
  ['yes, 10am is perfect', 'yes'],
  ['Yes, 10am on December 2 is perfect', 'yes'],
  // Plain yes, English.
  ['yes', 'yes'],
  ['Yes please', 'yes'],
  ['yeah', 'yes'],
  ['yep!', 'yes'],
  ['Sure', 'yes'],
  ['ok', 'yes'],
  ['Okay, book it', 'yes'],
  ['Go ahead', 'yes'],
  ['Please go ahead.', 'yes'],
  ['Confirm', 'yes'],
  ['correct', 'yes'],
  ['That works', 'yes'],
  ['Sounds good!', 'yes'],
  ['Perfect, thanks', 'yes'],
  ['absolutely', 'yes'],
  ['👍', 'yes'],
  ['yes, book it please', 'yes'],
  ['Monday at 2pm works for me', 'yes'],
  ['Yes, cancel it', 'yes', 'cancel'],
  ['cancel it please', 'yes', 'cancel'],
  ['yes, move it', 'yes', 'reschedule'],
  ['Yes please, no problem', 'yes'],
  ['No worries, go ahead', 'yes'],
  ["That's right", 'yes'],
  ['Yes, see you then', 'yes'],
  // Plain yes, Spanish.
  ['sí', 'yes'],
  ['Si, por favor', 'yes'],
  ['Sí, claro', 'yes'],
  ['vale', 'yes'],
  ['De acuerdo', 'yes'],
  ['Perfecto, resérvala', 'yes'],
  ['Claro que sí', 'yes'],
  ['Adelante', 'yes'],
  ['Sí, cancélala', 'yes', 'cancel'],
  ['Sí, muévela', 'yes', 'reschedule'],
  ['Me parece bien', 'yes'],
  ['Sí, a las 10 está perfecto', 'yes'],
  // No, English.
  ['no', 'no'],
  ['No thanks', 'no'],
  ['nope', 'no'],
  ['not yet', 'no'],
  ['keep it', 'no', 'cancel'],
  ['Leave it', 'no', 'cancel'],
  ["I'd rather not", 'no'],
  ['Actually no', 'no'],
  ['never mind', 'no'],
  ["Don't", 'no'],
  ['Do not book it', 'no'],
  ['Yes, don’t cancel it', 'no', 'cancel'],
  ['Absolutely not', 'no'],
  ['Ok, forget it', 'no'],
  ['Stop', 'no'],
  ["I'll keep my appointment, thanks", 'no', 'cancel'],
  ['Leave it as is', 'no', 'reschedule'],
  ['n', 'no'],
  ['👎', 'no'],
  // No, Spanish.
  ['No, gracias', 'no'],
  ['No la canceles', 'no', 'cancel'],
  ['Mejor no', 'no'],
  ['Déjala como está', 'no', 'cancel'],
  ['Todavía no', 'no'],
  ['Prefiero no cambiarla', 'no', 'reschedule'],
  ['Sí, pero no la canceles', 'no', 'cancel'],
  ['Me la quedo', 'no', 'cancel'],
  // Hedges, conditions and questions.
  ['wait', 'unclear'],
  ['Wait, what time was that?', 'unclear'],
  ['hmm', 'unclear'],
  ['Hmmm let me think', 'unclear'],
  ['maybe', 'unclear'],
  ['yes?', 'unclear'],
  ['Is it with Dr. Rivera?', 'unclear'],
  ['Only if it is with Dr. Rivera', 'unclear'],
  ['yes if it is the morning', 'unclear'],
  ['Yes but at 11 instead', 'unclear'],
  ['Actually, can we do Friday', 'unclear'],
  ['Ok, what about Tuesday', 'unclear'],
  ["I'm not sure", 'unclear'],
  ["I don't know", 'unclear'],
  ['Sure, hold on', 'unclear'],
  ['Yes, probably', 'unclear'],
  ['ok, check Tuesday', 'unclear'],
  ['Espera', 'unclear'],
  ['Quizás', 'unclear'],
  ['No sé', 'unclear'],
  ['Solo si es por la mañana', 'unclear'],
  ['Sí, si es con la doctora Rivera', 'unclear'],
  ['¿Es a las 10?', 'unclear'],
  ['Sí, pero mejor otro día', 'unclear'],
  ['Mmm, en realidad...', 'unclear'],
  ['Tal vez', 'unclear'],
  ["Ok I'll think about it", 'unclear'],
  ['Sure, let me ask my husband', 'unclear'],
  ['Yes, one question first', 'unclear'],
  ['Vale, lo pienso', 'unclear'],
  // Another action's verb, or nothing that decides.
  ['cancel it', 'unclear'],
  ['Yes, cancel it', 'unclear', 'reschedule'],
  ['Book it', 'unclear', 'cancel'],
  ['move it to Friday', 'unclear', 'cancel'],
  ['Please', 'unclear'],
  ['Tuesday', 'unclear'],
  ['thanks', 'unclear'],
  ['   ', 'unclear'],
  ['What is my reference', 'unclear'],
];

describe('decideConsent', () => {
  it('has a spec of at least 80 phrases', () => {
    expect(table.length).toBeGreaterThanOrEqual(80);
    expect(new Set(table.map(([text, , action]) => `${text}|${action}`)).size).toBe(table.length);
  });

  it.each(table)('"%s" is %s (%s)', (text, kind, action) => {
    expect(decideConsent(text, { action }).kind).toBe(kind);
  });

  it('leaves out a sentence about another reference than the summary\'s', () => {
    const text = 'Yes please. I also have GM-KSUQC, that one stays as it is.';
    expect(decideConsent(text, { action: 'cancel', reference: 'GM-7K3Q9' }).kind).toBe('yes');
    // Without knowing the summary's reference, the "as it is" counts: no action.
    expect(decideConsent(text, { action: 'cancel' }).kind).toBe('no');
    expect(decideConsent("Don't. GM-7K3Q9 stays as it is.", { action: 'cancel', reference: 'GM-7K3Q9' }).kind).toBe('no');
  });

  it('says why an unclear reply is unclear', () => {
    expect(decideConsent('Is it with Dr. Rivera?')).toEqual({ kind: 'unclear', reason: 'the reply is a question' });
  });
});
