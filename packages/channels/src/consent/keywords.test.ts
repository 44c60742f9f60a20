import { describe, expect, it } from 'vitest';
import { classifyInboundText, optInKeywords, optOutKeywords } from './keywords.js';

const optedIn = { isOptedOut: false };
const optedOut = { isOptedOut: true };

describe('classifyInboundText', () => {
  it.each(optOutKeywords.map((keyword) => [keyword]))('treats the whole-message keyword %s as an opt-out', (keyword) => {
    expect(classifyInboundText(keyword, optedIn)).toEqual({ kind: 'opt_out', keyword, match: 'keyword' });
  });

  it.each([
    ['stop', 'STOP'],
    ['Stop', 'STOP'],
    ['  STOP  ', 'STOP'],
    ['\nstop\t', 'STOP'],
    ['STOP.', 'STOP'],
    ['stop!!', 'STOP'],
    ['"Stop"', 'STOP'],
    ['STOP please', 'STOP'],
    ['please stop', 'STOP'],
    ['Stop, thanks', 'STOP'],
    ['Stop all', 'STOPALL'],
    ['opt out', 'OPTOUT'],
    ['Opt-Out', 'OPTOUT'],
    ['unsubscribe.', 'UNSUBSCRIBE'],
    ['Cancel', 'CANCEL'],
    ['END', 'END'],
    ['quit!', 'QUIT'],
    ['revoke', 'REVOKE'],
    ['ＳＴＯＰ', 'STOP'],
  ])('treats %j as the opt-out keyword %s (case, whitespace, punctuation)', (text, keyword) => {
    expect(classifyInboundText(text, optedIn)).toEqual({ kind: 'opt_out', keyword, match: 'keyword' });
  });

  it.each([
    ['please stop texting me'],
    ['Stop texting me'],
    ['stop messaging me please'],
    ['STOP SENDING ME MESSAGES'],
    ["Don't text me again"],
    ['don’t text me'],
    ['do not contact me'],
    ['remove me from your list'],
    ['take my number off your list'],
    ['no more texts'],
    ['stop the reminders'],
    ['how do I unsubscribe?'],
    ['I want to opt out'],
    ['leave me alone'],
  ])('honours the plain-language revocation %j', (text) => {
    expect(classifyInboundText(text, optedIn)).toEqual({ kind: 'opt_out', keyword: 'PHRASE', match: 'phrase' });
  });

  it.each([
    ['cancel my appointment'],
    ['Can you cancel my 3pm?'],
    ['I need to cancel'],
    ['can I stop by at 3?'],
    ['What time does it end?'],
    ['end of the day works'],
    ['stopwatch'],
    ['STOPS'],
    ['unstoppable'],
    ['I quit smoking, do you do checkups?'],
    ['help me book a cleaning'],
    ['Start time?'],
    ['info about prices'],
    ['yes please'],
    ['YES'],
    ['2'],
    [''],
  ])('leaves the near-miss %j to the receptionist', (text) => {
    expect(classifyInboundText(text, optedIn)).toEqual({ kind: 'message' });
  });

  it.each(optInKeywords.map((keyword) => [keyword]))('treats %s as an opt-in from an opted-out number', (keyword) => {
    expect(classifyInboundText(` ${keyword.toLowerCase()}. `, optedOut)).toEqual({ kind: 'opt_in', keyword });
  });

  it.each([['START'], ['unstop']])('treats %s as an opt-in even from an opted-in number (it gets its confirmation)', (text) => {
    expect(classifyInboundText(text, optedIn).kind).toBe('opt_in');
  });

  it('leaves YES from an opted-in number to the conversation, where it answers "shall I book it?"', () => {
    expect(classifyInboundText('Yes', optedIn)).toEqual({ kind: 'message' });
    expect(classifyInboundText('Yes', optedOut)).toEqual({ kind: 'opt_in', keyword: 'YES' });
  });

  it.each([
    ['HELP', 'HELP'],
    ['help', 'HELP'],
    [' Help? ', 'HELP'],
    ['info', 'INFO'],
    ['INFO.', 'INFO'],
  ])('treats %j as the help keyword %s', (text, keyword) => {
    expect(classifyInboundText(text, optedIn)).toEqual({ kind: 'help', keyword });
    expect(classifyInboundText(text, optedOut)).toEqual({ kind: 'help', keyword });
  });
});
