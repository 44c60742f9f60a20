import { describe, expect, it } from 'vitest';
import { asksForConsent, asksForPerson, asksForTextLink, consentWordsOf, findAmbiguousTime, readMorningOrEvening, resolveTime, spokenPick } from './manners.js';

describe('findAmbiguousTime', () => {
  it.each([
    ['book me at 7', { hour: 7, minute: 0, said: 'at 7' }],
    ['tomorrow at seven', { hour: 7, minute: 0, said: 'at seven' }],
    ['around 10:30 on Friday', { hour: 10, minute: 30, said: 'around 10:30' }],
    ['at 7 pm', null],
    ['at 7 in the morning', null],
    ['at 9 a.m.', null],
    ['Friday afternoon after 3', null],
    ['at 12', null],
    ['for 2 people', null],
    ['book a consultation', null],
  ])('%s', (text, expected) => {
    expect(findAmbiguousTime(text)).toEqual(expected);
  });

  it('rewrites the words with the answer', () => {
    const time = findAmbiguousTime('book me at 7 on Friday')!;
    expect(resolveTime('book me at 7 on Friday', time, 'pm')).toBe('book me at 7:00 pm on Friday');
  });
});

describe('readMorningOrEvening', () => {
  it.each([
    [{ text: 'in the morning', digits: '' }, 'am'],
    [{ text: 'evening please', digits: '' }, 'pm'],
    [{ text: '', digits: '1' }, 'am'],
    [{ text: '', digits: '2' }, 'pm'],
    [{ text: 'what?', digits: '' }, null],
  ])('%o → %s', (answer, expected) => {
    expect(readMorningOrEvening(answer)).toBe(expected);
  });
});

describe('DTMF after a read-back', () => {
  it.each([
    ['1', 'yes'],
    ['2', 'no'],
    ['3', null],
  ])('%s → %s', (digits, words) => {
    expect(consentWordsOf(digits)).toBe(words);
  });

  it.each([
    ['To confirm: Consultation on Tue, Mar 10, 3:15 PM for Ana Silva (+12025550100). Shall I book it?', true],
    ['I found your Consultation on Tue, Mar 10, 3:15 PM (GM-7K3Q9). Shall I cancel it?', true],
    ['Move your Consultation from Wed, Mar 11, 10:00 AM to Fri, Mar 6, 11:00 AM?', true],
    ['What name should I put the booking under?', false],
  ])('asks for consent: %s', (reply, expected) => {
    expect(asksForConsent(reply)).toBe(expected);
  });
});

describe('what the caller asks for', () => {
  it.each(['operator', 'can I talk to a person', 'I want a human', 'representative'])('a person: %s', (text) => {
    expect(asksForPerson(text)).toBe(true);
  });
  it.each(['text me a link', 'can you send me a text'])('a text link: %s', (text) => {
    expect(asksForTextLink(text)).toBe(true);
  });
  it.each([
    ['two', '2'],
    ['the first one', '1'],
    ['option two', '2'],
    ['two people', null],
  ])('a spoken pick: %s → %s', (text, digit) => {
    expect(spokenPick(text)).toBe(digit);
  });
});
