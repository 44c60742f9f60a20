import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIBrain, type TurnEvent } from '../src/index.js';
import { startFakeOpenAI, toolResults, type FakeOpenAI } from './fakes/openai-server.js';
import { activeHolds, appointments, createWorld, type World } from './support.js';

let fake: FakeOpenAI;
let world: World;
let offline: World;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  world = await createWorld({ brain: createOpenAIBrain({ apiKey: 'test-key', baseURL: fake.url, model: 'gpt-test', maxRetries: 0, timeoutMs: 5000 }), config: { maxToolRounds: 3 } });
  offline = await createWorld();
});
afterAll(async () => {
  await world.db.drop();
  await offline.db.drop();
  await fake.close();
});
afterEach(() => {
  expect(fake.remaining()).toBe(0);
});

/** A pause in the fake's stream, released by the test. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Resolves at the first event that passes `test`. */
function waitFor(events: TurnEvent[], test: (event: TurnEvent) => boolean) {
  let found!: () => void;
  const promise = new Promise<void>((resolve) => (found = resolve));
  return {
    promise,
    onEvent(event: TurnEvent) {
      events.push(event);
      if (test(event)) found();
    },
  };
}

const texts = (events: TurnEvent[]) => events.flatMap((e) => (e.type === 'text' ? [e.delta] : []));

function turn(w: World, sessionId: string, text: string, extra: { onEvent?: (event: TurnEvent) => void; signal?: AbortSignal } = {}) {
  return w.receptionist.handleTurn({ tenantId: w.tenant.id, sessionId, channel: 'web', text, ...extra });
}

describe('streamed replies', () => {
  it('sends each finished sentence while the model is still writing, and the pieces make the reply', async () => {
    const pause = gate();
    fake.play({ chunks: ['We are open ', 'Monday to Friday. ', pause.opened, 'Anything ', 'else?'] });
    const events: TurnEvent[] = [];
    const first = waitFor(events, (e) => e.type === 'text');
    const result = turn(world, 'st-plain', 'When are you open?', { onEvent: first.onEvent });
    await first.promise;
    // The model is paused mid-reply: the first sentence is already out, without its trailing space.
    expect(texts(events)).toEqual(['We are open Monday to Friday.']);
    pause.open();
    const done = await result;
    expect(done.reply).toBe('We are open Monday to Friday. Anything else?');
    expect(texts(events).join('')).toBe(done.reply);
    expect(texts(events)).toEqual(['We are open Monday to Friday.', ' Anything else?']);
    expect(events.at(-1)).toEqual({ type: 'status', status: 'idle' });
  });

  it('holds back a sentence that claims a booking until the check, which replaces it', async () => {
    const pause = gate();
    fake.play({ chunks: ['Let me see. ', "You're booked ", 'for Tuesday at 10! ', 'Anything ', 'else?', pause.opened] });
    const events: TurnEvent[] = [];
    const first = waitFor(events, (e) => e.type === 'text');
    const result = turn(world, 'st-claim', 'Book me Tuesday at 10', { onEvent: first.onEvent });
    await first.promise;
    // The whole reply is written; the claim and everything after it wait for the check.
    expect(texts(events)).toEqual(['Let me see.']);
    pause.open();
    const done = await result;
    expect(done.reply).toBe('Let me see. Anything else? To be clear: nothing has been booked yet.');
    expect(texts(events)).toEqual(['Let me see.', ' Anything else? To be clear: nothing has been booked yet.']);
    expect(texts(events).join('')).not.toMatch(/booked for Tuesday/);
  });

  it('sends a claim its tool backs once checked, after the words written before the tool call', async () => {
    const events: TurnEvent[] = [];
    const say = (text: string) => turn(world, 'st-backed', text, { onEvent: (e) => events.push(e) });
    fake.play({ toolCalls: [{ name: 'hold_slot', arguments: { serviceId: world.services.followUp, start: '2026-03-09T14:00:00.000-04:00' } }] }, { reply: 'Holding 2:00 PM. Your name and email?' });
    await say('Monday 2pm follow-up');
    const [hold] = await activeHolds(world, 'st-backed');
    fake.play({ reply: 'Shall I book Follow-up on Monday at 2:00 PM for Wen Li?' });
    await say('Wen Li, wen@example.com');
    events.length = 0;
    fake.play(
      { say: 'One moment. ', toolCalls: [{ name: 'confirm_booking', arguments: { holdId: hold!.id, name: 'Wen Li', email: 'wen@example.com' } }] },
      { dynamic: (request) => ({ reply: `You're booked! Reference ${(toolResults(request).at(-1)!.data as { reference: string }).reference}. See you Monday.` }) },
    );
    const done = await say('Yes');
    const [row] = (await appointments(world)).filter((a) => a.session_id === 'st-backed');
    expect(row).toMatchObject({ status: 'booked' });
    expect(done.reply).toBe(`One moment. You're booked! Reference ${row!.reference}. See you Monday.`);
    expect(texts(events)).toEqual(['One moment.', ` You're booked! Reference ${row!.reference}. See you Monday.`]);
  });

  it('stops sending words once the caller interrupts; the tool that ran stays done', async () => {
    const pause = gate();
    const controller = new AbortController();
    fake.play(
      { toolCalls: [{ name: 'hold_slot', arguments: { serviceId: world.services.followUp, start: '2026-03-10T09:00:00.000-04:00' } }] },
      { chunks: ['I am holding 9:00 AM for you. ', 'It is ', pause.opened, 'yours for ten minutes. ', 'Your name?'] },
    );
    const events: TurnEvent[] = [];
    const first = waitFor(events, (e) => e.type === 'text');
    const result = turn(world, 'st-abort', 'Tuesday 9am follow-up', { onEvent: first.onEvent, signal: controller.signal });
    await first.promise;
    controller.abort();
    pause.open();
    const done = await result;
    expect(texts(events)).toEqual(['I am holding 9:00 AM for you.']);
    expect(events.some((e) => e.type === 'error')).toBe(false);
    expect(await activeHolds(world, 'st-abort')).toHaveLength(1);
    // What was said by the interruption is the turn's reply, stored for the next turn.
    expect(done.reply).toBe('I am holding 9:00 AM for you. It is');
    const history = await world.receptionist.getHistory({ tenantId: world.tenant.id, sessionId: 'st-abort' });
    expect(history.at(-1)!.content).toBe(done.reply);
  });

  it('the offline brain sends its reply whole, with no text pieces', async () => {
    const events: TurnEvent[] = [];
    const done = await turn(offline, 'st-offline', 'What services do you have?', { onEvent: (e) => events.push(e) });
    expect(done.reply.length).toBeGreaterThan(0);
    expect(texts(events)).toEqual([]);
  });
});
