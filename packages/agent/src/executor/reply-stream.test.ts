import { describe, expect, it } from 'vitest';
import type { TurnEvent } from '../types.js';
import { correctClaims, createLedger } from './claim-check.js';
import { createReplyStream } from './reply-stream.js';

function run(pieces: string[], options: { signalAfter?: number } = {}) {
  const events: TurnEvent[] = [];
  const controller = new AbortController();
  const ledger = createLedger();
  const stream = createReplyStream({ ledger, userText: 'hi', emit: (e) => events.push(e), signal: controller.signal });
  pieces.forEach((piece, index) => {
    if (index === options.signalAfter) controller.abort();
    stream.write(piece);
  });
  const reply = correctClaims(pieces.join('').trim(), ledger).reply;
  stream.finish(reply);
  return { deltas: events.map((e) => (e.type === 'text' ? e.delta : '')), reply };
}

describe('createReplyStream', () => {
  it.each([
    ['sentences as they end', ['Hello', ' there. How', ' can I help?'], ['Hello there.', ' How can I help?']],
    ['leading white space dropped', ['  \n', 'Hi. ', 'Bye.'], ['Hi.', ' Bye.']],
    ['a line break ends a sentence', ['We offer:\n', '- Consultation'], ['We offer:', '\n- Consultation']],
    ['a claim and what follows wait for the check', ['Sure. ', 'All set! ', 'Bye.'], ['Sure.', ' Bye. To be clear: nothing has been booked or changed.']],
    ['a business fact nothing backs waits too', ['Sure. ', 'Parking is free. ', 'Bye.'], ['Sure.', " Bye. To be clear: I can only tell you what the business has written down, and I don't have an answer to that."]],
    ['a reference nothing backs waits too', ['Found it. ', 'It is GM-7K3Q9. ', 'Ok?'], ['Found it.', ' Ok? To be clear: I can only give you the reference of a booking made or found in this conversation.']],
  ])('releases %s, and the pieces make the checked reply', (_label, pieces, expected) => {
    const { deltas, reply } = run(pieces);
    expect(deltas).toEqual(expected);
    expect(deltas.join('')).toBe(reply);
  });

  it('sends nothing after the signal fires', () => {
    expect(run(['One. ', 'Two. ', 'Three.'], { signalAfter: 1 }).deltas).toEqual(['One.']);
  });

  it('sends nothing for a reply that was never written (the offline brain)', () => {
    const events: TurnEvent[] = [];
    createReplyStream({ ledger: createLedger(), userText: 'hi', emit: (e) => events.push(e) }).finish('Hello!');
    expect(events).toEqual([]);
  });
});
