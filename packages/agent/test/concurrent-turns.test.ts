import { createBookingEngine } from '@gomomo/core';
import { createPolicyEngine } from '@gomomo/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineBrain, createReceptionist, type Brain, type Receptionist } from '../src/index.js';
import { createWorld, type World } from './support.js';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => world.db.drop());

interface Span {
  text: string;
  started: number;
  ended: number;
  turnCountSeen: number;
}

/**
 * The offline brain, slowed down while it "thinks" (as a model call is), recording when each turn
 * was inside the brain and how many earlier exchanges it found stored. The order of events is
 * what the tests look at, never how long anything took.
 */
function createSlowBrain(spans: Span[], pauseMs = 60): Brain {
  const inner = createOfflineBrain();
  let tick = 0;
  return {
    name: 'slow-offline',
    historyLimit: 0,
    async respond(turn) {
      const span: Span = { text: turn.text, started: ++tick, ended: 0, turnCountSeen: Number((turn.state as { seen?: number }).seen ?? 0) };
      spans.push(span);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      const reply = await inner.respond(turn);
      span.ended = ++tick;
      return { ...reply, state: { ...reply.state, seen: span.turnCountSeen + 1 } };
    },
  };
}

function receptionistWith(brain: Brain, config?: { turnLeaseMs?: number }): Receptionist {
  const engine = createBookingEngine({ pool: world.pool, clock: world.clock });
  const policy = createPolicyEngine({ pool: world.pool, clock: world.clock });
  return createReceptionist({ pool: world.pool, engine, policy, clock: world.clock, brain, config });
}

function turn(receptionist: Receptionist, sessionId: string, text: string) {
  return receptionist.handleTurn({ tenantId: world.tenant.id, sessionId, channel: 'sms', text, verifiedContact: { phone: '+15550200001' } });
}

async function storedMessages(sessionId: string): Promise<Array<{ role: string; content: string }>> {
  const { rows } = await world.pool.query('SELECT role, content FROM agent_messages WHERE session_id = $1 ORDER BY id', [sessionId]);
  return rows;
}

async function sessionRow(sessionId: string): Promise<{ turn_count: number; turn_token: string | null }> {
  return (await world.pool.query('SELECT turn_count, turn_token FROM agent_sessions WHERE id = $1', [sessionId])).rows[0];
}

/** No two spans overlap: each turn left the brain before the next one entered it. */
function expectOneAtATime(spans: Span[]): void {
  const sorted = [...spans].sort((a, b) => a.started - b.started);
  for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.started).toBeGreaterThan(sorted[i - 1]!.ended);
  // Each turn saw the state the previous one saved.
  expect(sorted.map((s) => s.turnCountSeen)).toEqual(sorted.map((_, i) => i));
}

describe('concurrent turns of one conversation', () => {
  it('runs two simultaneous turns on one receptionist one after the other, in arrival order', async () => {
    const spans: Span[] = [];
    const receptionist = receptionistWith(createSlowBrain(spans));
    const [first, second] = await Promise.all([turn(receptionist, 'together-1', 'Hello'), turn(receptionist, 'together-1', 'What are your hours?')]);
    expect(first.reply).toMatch(/automated booking assistant/);
    expect(second.reply).toMatch(/open Monday–Friday/);
    expectOneAtATime(spans);
    expect(spans.map((s) => s.text)).toEqual(['Hello', 'What are your hours?']);
    expect((await storedMessages('together-1')).map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(await sessionRow('together-1')).toEqual({ turn_count: 2, turn_token: null });
  });

  it('serialises turns arriving at two receptionists (two processes) through the lease in the database', async () => {
    const spans: Span[] = [];
    const brain = createSlowBrain(spans);
    const a = receptionistWith(brain);
    const b = receptionistWith(brain);
    await Promise.all([turn(a, 'together-2', 'Hello'), turn(b, 'together-2', 'Hi there'), turn(a, 'together-2', 'thanks!')]);
    expectOneAtATime(spans);
    const messages = await storedMessages('together-2');
    // Never interleaved: each customer message is followed by its own reply.
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    expect(await sessionRow('together-2')).toEqual({ turn_count: 3, turn_token: null });
  });

  it('keeps different conversations independent', async () => {
    const spans: Span[] = [];
    const receptionist = receptionistWith(createSlowBrain(spans));
    await Promise.all([turn(receptionist, 'apart-1', 'Hello'), turn(receptionist, 'apart-2', 'Hello')]);
    // Both were in the brain at the same time: the second started before the first ended.
    const [x, y] = [...spans].sort((p, q) => p.started - q.started);
    expect(y!.started).toBeLessThan(x!.ended);
  });

  it('waits while another process holds the lease, and takes over once it lapses', async () => {
    const spans: Span[] = [];
    const receptionist = receptionistWith(createSlowBrain(spans, 0));
    await turn(receptionist, 'crashed-1', 'Hello');
    // Another process claimed the next turn and died holding the lease.
    await world.pool.query(`UPDATE agent_sessions SET turn_token = gen_random_uuid(), turn_expires_at = clock_timestamp() + interval '1 hour' WHERE id = 'crashed-1'`);
    const waiting = turn(receptionist, 'crashed-1', 'thanks!');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(spans.map((s) => s.text)).toEqual(['Hello']);
    // The lease lapses (as it would after turnLeaseMs): the waiting turn goes ahead.
    await world.pool.query(`UPDATE agent_sessions SET turn_expires_at = clock_timestamp() - interval '1 second' WHERE id = 'crashed-1'`);
    expect((await waiting).reply).toMatch(/You're welcome/);
    expect(spans.map((s) => s.text)).toEqual(['Hello', 'thanks!']);
    expect(await sessionRow('crashed-1')).toEqual({ turn_count: 2, turn_token: null });
  });

  it('gives the lease back when a turn fails after it opened', async () => {
    const fixed: Brain = { name: 'fixed', historyLimit: 0, respond: async () => ({ text: 'x'.repeat(10) }) };
    const receptionist = receptionistWith(fixed);
    await turn(receptionist, 'fails-1', 'Hello');
    // Saving the next turn breaks: the database refuses the customer's message.
    await world.pool.query(`ALTER TABLE agent_messages ADD CONSTRAINT agent_messages_test_no_boom CHECK (content <> 'boom')`);
    try {
      await expect(turn(receptionist, 'fails-1', 'boom')).rejects.toThrow();
    } finally {
      await world.pool.query('ALTER TABLE agent_messages DROP CONSTRAINT agent_messages_test_no_boom');
    }
    expect(await sessionRow('fails-1')).toEqual({ turn_count: 1, turn_token: null });
    await expect(turn(receptionist, 'fails-1', 'Hello again')).resolves.toMatchObject({ reply: 'xxxxxxxxxx' });
  });
});
