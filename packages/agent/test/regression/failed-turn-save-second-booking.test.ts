import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeHolds, appointments, conversation, createWorld, type World } from '../support.js';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => world.db.drop());

/**
 * Real fault injection: a trigger on the conversation's message table that fails the next turn
 * save exactly once. A sequence counts the attempts because nextval() is not rolled back with the
 * failing transaction (a flag in a table would be).
 */
async function failNextTurnSave(): Promise<void> {
  await world.pool.query(`
    CREATE SEQUENCE test_fault_once;
    CREATE FUNCTION test_fail_turn_save_once() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
    BEGIN
      IF nextval('test_fault_once') = 1 THEN RAISE EXCEPTION 'injected: the turn could not be saved'; END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER test_fail_turn_save BEFORE INSERT ON agent_messages FOR EACH STATEMENT EXECUTE FUNCTION test_fail_turn_save_once();`);
}

// Issue 12: the booking committed, saving the turn failed (a 500), the customer said "yes" again,
// the hold looked expired, and the receptionist held and booked a second time.
describe('regression: a failed turn save leads to a second booking', () => {
  it('answers the retried "yes" with the booking already made: one appointment, no new hold', async () => {
    const c = conversation(world, 'lost-reply');
    await c.say('I would like a consultation on Monday');
    await c.say('1');
    const summary = await c.say('Zoë Ågren, zoe@example.com');
    expect(summary.reply).toMatch(/Shall I book it\?/);
    const [held] = await activeHolds(world, 'lost-reply');

    await failNextTurnSave();
    await expect(c.say('yes')).rejects.toThrow(/injected/);
    const afterFailure = await appointments(world);
    expect(afterFailure).toHaveLength(1);

    const retry = await c.say('yes');
    const rows = await appointments(world);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'booked', session_id: 'lost-reply' });
    expect(retry.reply).toContain(rows[0]!.reference);
    expect(retry.reply).toMatch(/You're booked/);
    expect(retry.events).toContainEqual(expect.objectContaining({ type: 'booking', action: 'created', reference: rows[0]!.reference }));
    expect(await activeHolds(world, 'lost-reply')).toEqual([]);
    const { rows: holds } = await world.pool.query(`SELECT id, status FROM holds WHERE session_id = 'lost-reply'`);
    expect(holds).toEqual([{ id: held!.id, status: 'confirmed' }]);
    // A third "yes" books nothing either.
    await c.say('yes');
    expect(await appointments(world)).toHaveLength(1);
  });
});
