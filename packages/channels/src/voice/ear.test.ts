import { describe, expect, it } from 'vitest';
import { formatForEar } from './ear.js';

describe('formatForEar', () => {
  it.each([
    ['Tue, Dec 1, 10:30 AM', 'ten thirty in the morning, Tuesday December first'],
    ['Fri, Mar 13, 3:00 PM', 'three in the afternoon, Friday March thirteenth'],
    ['Mon, Mar 2, 5:05 PM', 'five oh five in the evening, Monday March second'],
    ['Wed, Mar 11, 12:00 PM', 'noon, Wednesday March eleventh'],
    ['Consultation on Tue, Mar 10, 3:15 PM for Ana', 'Consultation at three fifteen in the afternoon, Tuesday March tenth for Ana'],
    ['open Monday–Friday 9:00 AM–5:00 PM', 'open Monday, Friday nine in the morning to five in the evening'],
    ['Your reference is GM-7K3Q9', 'Your reference is G M, 7 K 3 Q 9'],
    ['for Ana (+12025550123)', 'for Ana, the number ending zero one two three'],
    ['Open https://gomomo.example/x?y=1 now', 'Open the link we text you now'],
    ['Which of the times above suits you? Reply with its number, or ask for another time.', 'Which of those times suits you? Say or press the option number, or ask for another time.'],
  ])('%s → %s', (text, spoken) => {
    expect(formatForEar(text)).toBe(spoken);
  });

  it('reads at most two options of a numbered list', () => {
    const text = 'Here are open times:\n1. Tue, Mar 10, 3:00 PM\n2. Tue, Mar 10, 3:15 PM\n3. Tue, Mar 10, 3:30 PM\nReply with a number.';
    expect(formatForEar(text)).toBe('Here are open times: I have three in the afternoon, Tuesday March tenth, or three fifteen in the afternoon, Tuesday March tenth. Say or press the option number.');
  });
});
