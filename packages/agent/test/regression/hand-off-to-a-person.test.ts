// Issue 17, item 4: the promises of the hand-off to a person, one test each.
import { createTenant, demoTenantInput } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIBrain, createStaffDesk, isAgentError, type StaffDesk } from '../../src/index.js';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server.js';
import { activeHolds, conversation, createWorld, type World } from '../support.js';

let world: World;
let desk: StaffDesk;
beforeAll(async () => {
  world = await createWorld();
  desk = createStaffDesk({ pool: world.pool, clock: world.clock });
});
afterAll(async () => world.db.drop());

async function handoffOf(sessionId: string): Promise<{ handoff: string; handoff_reason: string | null; handoff_staff_id: string | null }> {
  const { rows } = await world.pool.query('SELECT handoff, handoff_reason, handoff_staff_id FROM agent_sessions WHERE id = $1', [sessionId]);
  return rows[0];
}

async function eventsOf(sessionId: string): Promise<string[]> {
  const { rows } = await world.pool.query<{ type: string }>('SELECT type FROM domain_events WHERE session_id = $1 ORDER BY id', [sessionId]);
  return rows.map((row) => row.type);
}

/** The tenant's hand-off entries in the audit log, in chain order. */
async function handoffAudits(): Promise<Array<{ actor: string; action: string; details: Record<string, unknown> }>> {
  const { rows } = await world.pool.query(`SELECT actor, action, details FROM audit_log WHERE tenant_id = $1 AND action LIKE 'conversation.%' ORDER BY seq`, [world.tenant.id]);
  return rows;
}

describe('hand-off to a person', () => {
  it('asked for a person in English in business hours → needs staff, and "a team member will reply here"', async () => {
    const c = conversation(world, 'ask-en');
    const turn = await c.say('Can I talk to a human please?');
    expect(turn.reply).toBe("I'm passing you to our team: a team member will reply here shortly.");
    expect(await handoffOf('ask-en')).toMatchObject({ handoff: 'needs_staff', handoff_reason: 'asked' });
    expect(await eventsOf('ask-en')).toEqual(['conversation.needs_staff']);
  });

  it('asked for a person in Spanish outside business hours → needs staff, and when we open (tenant zone)', async () => {
    world.clock.set('2026-03-06T23:30:00Z'); // Friday 18:30 in New York
    try {
      const turn = await conversation(world, 'ask-es').say('Quiero hablar con una persona');
      expect(turn.reply).toBe('Le paso con nuestro equipo. Ahora estamos cerrados: una persona del equipo le responderá aquí cuando abramos, el lunes 9 de marzo a las 9:00.');
      expect(await handoffOf('ask-es')).toMatchObject({ handoff: 'needs_staff', handoff_reason: 'asked' });
    } finally {
      world.clock.set('2026-03-05T14:00:00Z');
    }
  });

  it('keeps the AI silent while staff hold it: the message is stored and shown to staff, no reply, no tool runs', async () => {
    const c = conversation(world, 'held');
    await c.say('agent');
    await desk.takeOver({ tenantId: world.tenant.id, sessionId: 'held', staffId: 'staff-ann' });
    const turn = await c.say('Book a consultation Monday at 10am, my name is Ann Lee, ann@example.com');
    expect(turn.reply).toBe('');
    expect(await activeHolds(world, 'held')).toEqual([]);
    const detail = await desk.readConversation({ tenantId: world.tenant.id, sessionId: 'held' });
    expect(detail!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(detail!.messages.at(-1)!.content).toContain('Book a consultation Monday');
    expect(detail!.decisions.map((d) => `${d.actor}:${d.action}`)).toEqual(['customer:conversation.handoff', 'staff:conversation.take_over', 'customer:conversation.hold']);
  });

  it('stores the staff reply in the transcript and audits it with the staff id', async () => {
    const sent = await desk.reply({ tenantId: world.tenant.id, sessionId: 'held', staffId: 'staff-ann', text: 'Hi Ann, this is Sam from the clinic. Monday 10:00 works.' });
    expect(sent!.messageId).toBeGreaterThan(0);
    const history = await world.receptionist.getHistory({ tenantId: world.tenant.id, sessionId: 'held' });
    expect(history.at(-1)).toMatchObject({ role: 'staff', content: 'Hi Ann, this is Sam from the clinic. Monday 10:00 works.' });
    expect(await eventsOf('held')).toEqual(['conversation.needs_staff', 'conversation.taken_over', 'conversation.customer_wrote', 'conversation.staff_replied']);
    const staffAudits = (await handoffAudits()).filter((a) => a.actor === 'staff');
    expect(staffAudits.map((a) => [a.action, a.details.staffId])).toEqual([
      ['conversation.take_over', 'staff-ann'],
      ['conversation.staff_reply', 'staff-ann'],
    ]);
  });

  it('refuses a reply or a hand-back from staff who do not hold the conversation', async () => {
    const attempt = desk.reply({ tenantId: world.tenant.id, sessionId: 'held', staffId: 'staff-bob', text: 'Hello' });
    await expect(attempt).rejects.toSatisfy((error) => isAgentError(error, 'CONVERSATION_NOT_HELD'));
    await expect(desk.handBack({ tenantId: world.tenant.id, sessionId: 'held', staffId: 'staff-bob' })).rejects.toSatisfy((error) => isAgentError(error, 'CONVERSATION_NOT_HELD'));
  });

  it('hand back → the AI answers again', async () => {
    const back = await desk.handBack({ tenantId: world.tenant.id, sessionId: 'held', staffId: 'staff-ann' });
    expect(back).toMatchObject({ handoff: 'ai', staffId: null });
    const turn = await conversation(world, 'held').say('What are your opening hours?');
    expect(turn.reply).toMatch(/9:00 AM/);
    expect(await eventsOf('held')).toContain('conversation.handed_back');
  });

  it('refuses cross-tenant staff: another tenant sees no conversation to read, take over, answer or hand back', async () => {
    const other = await createTenant(world.pool, { ...demoTenantInput, slug: `other-${Date.now()}` });
    await conversation(world, 'private').say('talk to a real person');
    const as = { tenantId: other.id, sessionId: 'private', staffId: 'staff-eve' };
    expect(await desk.readConversation(as)).toBeNull();
    expect(await desk.takeOver(as)).toBeNull();
    expect(await desk.reply({ ...as, text: 'hi' })).toBeNull();
    expect(await desk.handBack(as)).toBeNull();
    expect((await desk.listConversations({ tenantId: other.id })).conversations).toEqual([]);
    expect(await handoffOf('private')).toMatchObject({ handoff: 'needs_staff', handoff_staff_id: null });
  });

  it('lists conversations newest first, and filters those that need staff', async () => {
    const all = await desk.listConversations({ tenantId: world.tenant.id });
    expect(all.conversations.length).toBeGreaterThanOrEqual(4);
    const times = all.conversations.map((c) => c.updatedAt);
    expect([...times].sort().reverse()).toEqual(times);
    const waiting = await desk.listConversations({ tenantId: world.tenant.id, handoff: 'needs_staff' });
    expect(waiting.conversations.map((c) => c.sessionId).sort()).toEqual(['ask-en', 'ask-es', 'private']);
    const firstPage = await desk.listConversations({ tenantId: world.tenant.id, limit: 2 });
    const secondPage = await desk.listConversations({ tenantId: world.tenant.id, limit: 2, before: firstPage.nextCursor! });
    expect(secondPage.conversations.map((c) => c.sessionId)).toEqual(all.conversations.slice(2, 4).map((c) => c.sessionId));
  });
});

describe('hand-off after failures', () => {
  let fake: FakeOpenAI;
  let failing: World;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    failing = await createWorld({ brain: createOpenAIBrain({ apiKey: 'test-key', baseURL: fake.url, model: 'gpt-test', maxRetries: 0, timeoutMs: 2000 }) });
  });
  afterAll(async () => {
    await failing.db.drop();
    await fake.close();
  });

  it('two failures in a row → needs staff, and the customer is told what happens next', async () => {
    const c = conversation(failing, 'fails');
    fake.play({ status: 500 });
    const first = await c.say('hi');
    expect(first.reply).toMatch(/^I'm sorry, I'm having trouble/);
    const { rows: before } = await failing.pool.query('SELECT handoff FROM agent_sessions WHERE id = $1', ['fails']);
    expect(before[0].handoff).toBe('ai');
    fake.play({ status: 500 });
    const second = await c.say('hello?');
    expect(second.reply).toMatch(/^I'm sorry, I'm having trouble.*a team member will reply here shortly\.$/);
    const { rows } = await failing.pool.query('SELECT handoff, handoff_reason FROM agent_sessions WHERE id = $1', ['fails']);
    expect(rows[0]).toEqual({ handoff: 'needs_staff', handoff_reason: 'failures' });
  });

  it('a success in between resets the count: failure, success, failure stays with the receptionist', async () => {
    const c = conversation(failing, 'recovers');
    fake.play({ status: 500 }, { reply: 'Hello! How can I help?' }, { status: 500 });
    await c.say('hi');
    await c.say('hi again');
    await c.say('and again');
    const { rows } = await failing.pool.query('SELECT handoff, failure_streak FROM agent_sessions WHERE id = $1', ['recovers']);
    expect(rows[0]).toEqual({ handoff: 'ai', failure_streak: 1 });
  });
});
