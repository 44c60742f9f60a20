// Issue 17, item 4, a race the hand-off left open: a turn already running (a slow model) when a
// staff member takes the conversation over must neither answer nor act after the take-over. The
// model is the real OpenAI client against a local fake that holds its answer until the test says.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOpenAIBrain, createStaffDesk, type StaffDesk, type TurnEvent, type TurnResult } from '../../src/index.js';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server.js';
import { activeHolds, conversation, createWorld, type World } from '../support.js';

let fake: FakeOpenAI;
let world: World;
let desk: StaffDesk;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  world = await createWorld({ brain: createOpenAIBrain({ apiKey: 'test-key', baseURL: fake.url, model: 'gpt-test', maxRetries: 0, timeoutMs: 10_000 }) });
  desk = createStaffDesk({ pool: world.pool, clock: world.clock });
});
afterAll(async () => {
  await world.db.drop();
  await fake.close();
});

/** A gate the test opens: the fake model answers only then. */
function createGate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Starts a turn whose model call is held at the fake, takes the conversation over meanwhile, then lets the model answer. */
async function takeOverDuringTurn(sessionId: string, input: { text: string; gate: { opened: Promise<void>; open: () => void } }): Promise<{ result: TurnResult; events: TurnEvent[] }> {
  const events: TurnEvent[] = [];
  const requestsBefore = fake.requests.length;
  const running = conversation(world, sessionId, { onEvent: (event) => events.push(event) }).say(input.text);
  await vi.waitFor(() => expect(fake.requests.length).toBeGreaterThan(requestsBefore), { timeout: 10_000 });
  await desk.takeOver({ tenantId: world.tenant.id, sessionId, staffId: 'staff-sam' });
  input.gate.open();
  return { result: await running, events };
}

async function transcriptOf(sessionId: string): Promise<Array<{ role: string; content: string }>> {
  const detail = await desk.readConversation({ tenantId: world.tenant.id, sessionId });
  return detail!.messages.map((m) => ({ role: m.role, content: m.content }));
}

describe('a running turn and a staff take-over', () => {
  it('a running turn does not answer after staff took over', async () => {
    const gate = createGate();
    fake.play({ gate: gate.opened, then: { chunks: ['Monday at 10 ', 'works for us'] } });
    const { result, events } = await takeOverDuringTurn('slow-reply', { text: 'Can I come in Monday at 10?', gate });
    expect(result.reply).toBe('');
    // The model did answer (no error, no apology): the answer was dropped, not lost to a failure.
    expect(events.map((e) => e.type)).toEqual(['status', 'status']);
    expect(fake.remaining()).toBe(0);
    expect(await transcriptOf('slow-reply')).toEqual([{ role: 'user', content: 'Can I come in Monday at 10?' }]);
    const { rows } = await world.pool.query<{ type: string }>('SELECT type FROM domain_events WHERE session_id = $1 ORDER BY id', ['slow-reply']);
    expect(rows.map((r) => r.type)).toEqual(['conversation.taken_over', 'conversation.customer_wrote']);
    const detail = await desk.readConversation({ tenantId: world.tenant.id, sessionId: 'slow-reply' });
    expect(detail!.handoff).toBe('staff');
    expect(detail!.decisions.map((d) => `${d.actor}:${d.action}:${d.outcome}`)).toEqual(['staff:conversation.take_over:succeeded', 'customer:conversation.hold:succeeded']);
  });

  it('a running turn does not hold a slot after staff took over', async () => {
    const gate = createGate();
    fake.play(
      { gate: gate.opened, then: { toolCalls: [{ name: 'hold_slot', arguments: { serviceId: world.services.followUp, start: '2026-03-09T14:00:00.000-04:00' } }] } },
      // What the model writes after its refused call claims nothing, so it would stream at once.
      { chunks: ['Sure thing. ', 'One moment please. '] },
    );
    const { result, events } = await takeOverDuringTurn('slow-tool', { text: 'Monday 2pm follow-up please', gate });
    expect(result.reply).toBe('');
    expect(events.filter((e) => e.type === 'error' || e.type === 'text')).toEqual([]);
    expect(fake.remaining()).toBe(0);
    expect(await activeHolds(world, 'slow-tool')).toEqual([]);
    const { rows } = await world.pool.query<{ outcome: string; reason: string }>(`SELECT outcome, reason FROM audit_log WHERE tenant_id = $1 AND session_id = $2 AND tool = 'hold_slot' ORDER BY seq`, [world.tenant.id, 'slow-tool']);
    // The policy allowed it (as before the take-over); the executor's check of the hand-off refused it.
    expect(rows.map((r) => r.outcome)).toEqual(['allowed', 'denied']);
    expect(rows[1]!.reason).toMatch(/^guard:staff-holds: /);
    expect(await transcriptOf('slow-tool')).toEqual([{ role: 'user', content: 'Monday 2pm follow-up please' }]);
  });

  it('a take-over that commits while the turn is being saved silences it', async () => {
    // The take-over's write is open (its row lock held) when the turn saves: the save waits for it,
    // and must then read the conversation as it is after the take-over, not as its statement began.
    const gate = createGate();
    fake.play({ gate: gate.opened, then: { chunks: ['Monday at 10 ', 'works for us'] } });
    const events: TurnEvent[] = [];
    const requestsBefore = fake.requests.length;
    const running = conversation(world, 'take-over-during-save', { onEvent: (event) => events.push(event) }).say('Can I come in Monday at 10?');
    await vi.waitFor(() => expect(fake.requests.length).toBeGreaterThan(requestsBefore), { timeout: 10_000 });
    const staff = await world.pool.connect();
    try {
      await staff.query('BEGIN');
      await staff.query(`UPDATE agent_sessions SET handoff = 'staff', handoff_staff_id = 'staff-sam', handoff_at = now() WHERE tenant_id = $1 AND id = $2`, [world.tenant.id, 'take-over-during-save']);
      gate.open();
      // The turn's save is waiting for the take-over's row lock.
      await vi.waitFor(
        async () => {
          const { rows } = await world.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%handoff_lock%'`);
          expect(rows[0]!.n).toBe(1);
        },
        { timeout: 10_000 },
      );
      await staff.query('COMMIT');
    } finally {
      staff.release();
    }
    const result = await running;
    expect(result.reply).toBe('');
    expect(events.filter((e) => e.type === 'text')).toEqual([]);
    expect(await transcriptOf('take-over-during-save')).toEqual([{ role: 'user', content: 'Can I come in Monday at 10?' }]);
    const { rows } = await world.pool.query<{ turn_count: number; turn_token: string | null }>('SELECT turn_count, turn_token FROM agent_sessions WHERE tenant_id = $1 AND id = $2', [world.tenant.id, 'take-over-during-save']);
    expect(rows).toEqual([{ turn_count: 1, turn_token: null }]);
  });

  it('a turn that finished before the take-over keeps its answer', async () => {
    fake.play({ reply: 'We are open from 9 to 5.' });
    const turn = await conversation(world, 'before-take-over').say('When are you open?');
    expect(turn.reply).toBe('We are open from 9 to 5.');
    await desk.takeOver({ tenantId: world.tenant.id, sessionId: 'before-take-over', staffId: 'staff-sam' });
    expect((await transcriptOf('before-take-over')).map((m) => m.role)).toEqual(['user', 'assistant']);
  });
});
