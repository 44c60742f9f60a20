// A turn's opening statement, which creates the conversation or claims its lease, also reads the
// conversation's active holds (core's read model, `gomomo_active_holds_of_session`, migration 0107):
// that read was a round trip of its own on every turn (issue 15). The holds are what lets "yes"
// confirm the slot an earlier turn held, so a turn that did not see them would book nothing. A
// conversation without a contact can only take a waitlist offer made to itself, whose hold is among
// those: with no contact and no hold, the opening does not look for an offer at all.
import { recordStatements } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeHolds, appointments, conversation, createWorld, type World } from './support.js';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world.db.drop();
});

describe("a turn's opening", () => {
  it('does not look for a waitlist offer in a conversation with no contact and no hold', async () => {
    const { result: turn, statements } = await recordStatements(world.pool, () => conversation(world, 'no-contact-no-hold').say('Hello'));
    expect(turn.reply).not.toBe('');
    expect(statements.filter((statement) => statement.includes('waitlist_entries'))).toEqual([]);
  });

  it('reads the holds of an earlier turn with its claim, and confirms them on a yes', async () => {
    const chat = conversation(world, 'opens-with-holds');
    await chat.say('I would like a follow-up next Tuesday after 3');
    await chat.say('1');
    expect(await activeHolds(world, 'opens-with-holds')).toHaveLength(1);
    await chat.say('Ana Silva, ana@example.com');
    const { result: turn, statements } = await recordStatements(world.pool, () => chat.say('yes'));
    expect(turn.events.some((event) => event.type === 'booking')).toBe(true);
    expect((await appointments(world)).map((a) => a.session_id)).toEqual(['opens-with-holds']);
    // The claim carries the read; no statement of the turn reads the holds on its own.
    const reading = statements.filter((statement) => statement.includes('gomomo_active_holds_of_session'));
    expect(reading).toHaveLength(1);
    expect(reading[0]).toMatch(/INSERT INTO agent_sessions/);
    expect(statements.filter((statement) => /FROM holds WHERE tenant_id = \$1 AND session_id = \$2/.test(statement))).toEqual([]);
  });
});
