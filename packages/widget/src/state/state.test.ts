import { describe, expect, it } from 'vitest';
import type { TurnResult } from '../types.js';
import { initialState, pickShownSlots, reduce, type WidgetState } from './state.js';

const slots = [
  { start: '2026-12-01T10:00:00-05:00', end: '2026-12-01T10:30:00-05:00', label: 'Tue, Dec 1, 10:00 AM' },
  { start: '2026-12-01T11:00:00-05:00', end: '2026-12-01T11:30:00-05:00', label: 'Tue, Dec 1, 11:00 AM' },
  { start: '2026-12-01T14:00:00-05:00', end: '2026-12-01T14:30:00-05:00', label: 'Tue, Dec 1, 2:00 PM' },
];
const booking = { action: 'created' as const, reference: 'GM-7K2QX', start: slots[0]!.start, end: slots[0]!.end, serviceName: 'Consultation' };

function pending(): WidgetState {
  return reduce(initialState, { type: 'send', message: { id: 'u1', role: 'user', text: 'book tomorrow' } });
}

function turn(result: Partial<TurnResult>): WidgetState {
  return reduce(pending(), { type: 'turn', result: { reply: 'ok', events: [], sessionToken: 's1', ...result }, replyId: 'a1' });
}

describe('reduce: the hand-off to a person', () => {
  const staffReply = { id: '41', type: 'conversation.staff_replied', payload: { messageId: 7, text: 'Hi, this is Sam from the clinic.' } };

  it('shows a team member’s pushed reply as a staff message, once however often it is replayed', () => {
    const once = reduce(turn({ reply: 'I’m passing you to our team.' }), { type: 'push', event: staffReply, cardId: 'c1' });
    const twice = reduce(once, { type: 'push', event: staffReply, cardId: 'c2' });
    expect(twice.messages.map((m) => [m.role, m.text])).toEqual([
      ['user', 'book tomorrow'],
      ['assistant', 'I’m passing you to our team.'],
      ['staff', 'Hi, this is Sam from the clinic.'],
    ]);
    expect(twice.lastEventId).toBe('41');
  });

  it('adds no empty bubble while the receptionist is silent (a person holds the conversation)', () => {
    const silent = turn({ reply: '' });
    expect(silent.messages.map((m) => m.role)).toEqual(['user']);
    expect(silent.isPending).toBe(false);
  });
});

describe('reduce', () => {
  it('marks the conversation pending with a "thinking" chip when the visitor sends', () => {
    expect(pending()).toMatchObject({ isPending: true, status: 'thinking', messages: [{ id: 'u1', role: 'user' }] });
  });

  it('follows the agent’s status while a turn is pending and ignores it afterwards', () => {
    expect(reduce(pending(), { type: 'status', status: 'checking_availability' }).status).toBe('checking_availability');
    expect(reduce(initialState, { type: 'status', status: 'holding' }).status).toBeUndefined();
  });

  it('grows the streamed reply while the turn runs, and the turn’s reply replaces it', () => {
    const streaming = reduce(reduce(pending(), { type: 'text', delta: 'We open' }), { type: 'text', delta: ' at 9.' });
    expect(streaming.streaming).toBe('We open at 9.');
    const done = reduce(streaming, { type: 'turn', result: { reply: 'We open at 9. Anything else?', events: [], sessionToken: 's1' }, replyId: 'a1' });
    expect(done.streaming).toBeUndefined();
    expect(done.messages.at(-1)).toMatchObject({ role: 'assistant', text: 'We open at 9. Anything else?' });
    // A piece that arrives after its reply adds nothing.
    expect(reduce(done, { type: 'text', delta: ' late' }).streaming).toBeUndefined();
  });

  it('keeps the last chip when the agent reports "idle" mid-turn', () => {
    const checking = reduce(pending(), { type: 'status', status: 'checking_availability' });
    expect(reduce(checking, { type: 'status', status: 'idle' }).status).toBe('checking_availability');
  });

  it('adds the reply with its offered slots as buttons and remembers the session', () => {
    const state = turn({ reply: 'How about Tue, Dec 1, 10:00 AM?', events: [{ type: 'slots', serviceId: 'svc', slots }] });
    expect(state).toMatchObject({ isPending: false, status: undefined, sessionToken: 's1' });
    expect(state.messages[1]).toMatchObject({ id: 'a1', role: 'assistant', slots: [slots[0]] });
  });

  it('tracks a hold and drops it once the booking is made, showing a "booked" chip and a card', () => {
    const held = turn({ events: [{ type: 'hold', holdId: 'h1', start: slots[0]!.start, end: slots[0]!.end, expiresAt: '2026-12-01T15:05:00Z' }] });
    expect(held.hold?.holdId).toBe('h1');
    const again = reduce(held, { type: 'send', message: { id: 'u2', role: 'user', text: 'yes' } });
    const booked = reduce(again, { type: 'turn', result: { reply: 'Booked!', events: [{ type: 'booking', ...booking }], sessionToken: 's1' }, replyId: 'a2' });
    expect(booked.hold).toBeUndefined();
    expect(booked.status).toBe('booked');
    expect(booked.messages.at(-1)?.booking).toEqual(booking);
  });

  it.each([
    ['forbidden', 'forbidden'],
    ['unauthorized', 'unauthorized'],
  ] as const)('blocks the composer for a %s key instead of toasting', (problem, blocked) => {
    const state = reduce(pending(), { type: 'failed', messageId: 'u1', problem, toastId: 't1' });
    expect(state).toMatchObject({ blocked, isPending: false, toasts: [] });
    expect(state.messages[0]?.failed).toBe(true);
  });

  it.each([
    ['network', 'error.network'],
    ['rate_limited', 'error.rateLimited'],
    ['generic', 'error.generic'],
  ] as const)('toasts a %s failure and marks the message for retry', (problem, key) => {
    const state = reduce(pending(), { type: 'failed', messageId: 'u1', problem, toastId: 't1' });
    expect(state.toasts).toEqual([{ id: 't1', key }]);
    expect(state.blocked).toBeUndefined();
    expect(state.messages[0]?.failed).toBe(true);
  });

  it('keeps at most three toasts', () => {
    let state = initialState;
    for (const id of ['1', '2', '3', '4']) state = reduce(state, { type: 'toast', toast: { id, key: 'error.generic' } });
    expect(state.toasts.map((toast) => toast.id)).toEqual(['2', '3', '4']);
  });

  it.each([
    ['slot.opened', 'push.slotOpened'],
    ['hold.expired', 'push.holdExpired'],
    ['waitlist.offered', 'push.waitlistOffer'],
  ])('turns a pushed %s into a card', (type, key) => {
    const state = reduce(initialState, { type: 'push', event: { id: '7', type, payload: {} }, cardId: 'c1' });
    expect(state.cards).toEqual([expect.objectContaining({ id: 'c1', key })]);
    expect(state.lastEventId).toBe('7');
  });

  it('records but does not show events a visitor need not see', () => {
    const state = reduce(initialState, { type: 'push', event: { id: '8', type: 'booking.created', payload: {} }, cardId: 'c1' });
    expect(state.cards).toEqual([]);
    expect(state.lastEventId).toBe('8');
  });

  it('shows one card per kind, however often the event repeats', () => {
    let state = initialState;
    for (const id of ['1', '2']) state = reduce(state, { type: 'push', event: { id, type: 'slot.opened', payload: {} }, cardId: `c${id}` });
    expect(state.cards).toHaveLength(1);
  });

  it('forgets the hold when the server says it expired', () => {
    const held = turn({ events: [{ type: 'hold', holdId: 'h1', start: slots[0]!.start, end: slots[0]!.end, expiresAt: '2026-12-01T15:05:00Z' }] });
    expect(reduce(held, { type: 'push', event: { id: '9', type: 'hold.expired', payload: {} }, cardId: 'c1' }).hold).toBeUndefined();
  });
});

describe('pickShownSlots', () => {
  it('shows the times the reply offers when it names some', () => {
    expect(pickShownSlots(slots, 'Options: Tue, Dec 1, 11:00 AM or Tue, Dec 1, 2:00 PM')).toEqual([slots[1], slots[2]]);
  });

  it('shows at most six of the times found when the reply names none', () => {
    const many = Array.from({ length: 10 }, (_, index) => ({ ...slots[0]!, label: `slot ${index}` }));
    expect(pickShownSlots(many, 'Here are some times.')).toHaveLength(6);
  });
});

describe('reduce: remember me on this device', () => {
  const offered = (state: WidgetState): WidgetState =>
    reduce(reduce(state, { type: 'send', message: { id: 'u2', role: 'user', text: '123456' } }), { type: 'turn', result: { reply: 'ok', events: [], sessionToken: 's1', device: 'offer' }, replyId: 'a2' });

  it('offers once the server says so, and does not offer again after the visitor said no', () => {
    expect(turn({ device: 'offer' }).device).toBe('offer');
    const declined = reduce(turn({ device: 'offer' }), { type: 'device', device: 'declined' });
    expect(offered(declined).device).toBe('declined');
  });

  it('keeps a remembered device remembered whatever the turn says', () => {
    expect(offered({ ...initialState, device: 'remembered' }).device).toBe('remembered');
  });
});
