// A turn's opening statement, which creates the conversation or claims its lease, also reads the
// conversation's active holds (core's read model, `gomomo_active_holds_of_session`, migration 0107):
// that read was a round trip of its own on every turn (issue 15). The holds are what lets "yes"
// confirm the slot an earlier turn held, so a turn that did not see them would book nothing. A
// conversation without a contact can only take a waitlist offer made to itself, whose hold is among
// those: with no contact and no hold, the opening does not look for an offer at all.
import { createBookingEngine, createPool, type Pool } from '@gomomo/core';
import { createPolicyEngine } from '@gomomo/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReceptionist } from '../src/index.js';
import { activeHolds, appointments, createWorld, type World } from './support.js';

let world: World;
let pool: Pool;
/** Each statement this file's receptionist sent: its name, or its text. */
const sent: string[] = [];

beforeAll(async () => {
  world = await createWorld();
  pool = createPool(world.db.url, { max: 4 });
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      const statement = args[0] as { name?: string; text?: string } | string;
      sent.push(typeof statement === 'string' ? statement : (statement.name ?? statement.text ?? ''));
      return query(...args);
    }) as typeof client.query;
  });
});
afterAll(async () => {
  await pool.end();
  await world.db.drop();
});

describe("a turn's opening", () => {
  it('does not look for a waitlist offer in a conversation with no contact and no hold', async () => {
    const engine = createBookingEngine({ pool, clock: world.clock });
    const receptionist = createReceptionist({ pool, engine, policy: createPolicyEngine({ pool, clock: world.clock }), clock: world.clock });
    const before = sent.length;
    const turn = await receptionist.handleTurn({ tenantId: world.tenant.id, sessionId: 'no-contact-no-hold', channel: 'web', text: 'Hello' });
    expect(turn.reply).not.toBe('');
    const statements = sent.slice(before);
    expect(statements.filter((statement) => statement.includes('waitlist_entries'))).toEqual([]);
  });

  it('reads the holds of an earlier turn with its claim, and confirms them on a yes', async () => {
    const engine = createBookingEngine({ pool, clock: world.clock });
    const receptionist = createReceptionist({ pool, engine, policy: createPolicyEngine({ pool, clock: world.clock }), clock: world.clock });
    const say = (text: string) => receptionist.handleTurn({ tenantId: world.tenant.id, sessionId: 'opens-with-holds', channel: 'web', text });
    await say('I would like a follow-up next Tuesday after 3');
    await say('1');
    expect(await activeHolds(world, 'opens-with-holds')).toHaveLength(1);
    await say('Ana Silva, ana@example.com');
    const before = sent.length;
    const turn = await say('yes');
    expect(turn.events.some((event) => event.type === 'booking')).toBe(true);
    expect((await appointments(world)).map((a) => a.session_id)).toEqual(['opens-with-holds']);
    const statements = sent.slice(before);
    // The claim carries the read; no statement of the turn reads the holds on its own.
    expect(statements.filter((statement) => statement.includes('gomomo_active_holds_of_session'))).toHaveLength(1);
    expect(statements.find((statement) => statement.includes('gomomo_active_holds_of_session'))).toMatch(/INSERT INTO agent_sessions/);
    expect(statements.filter((statement) => /FROM holds WHERE tenant_id = \$1 AND session_id = \$2/.test(statement))).toEqual([]);
  });
});
