import { namesAsWritten } from '@gomomo/core/testing';
import { redactText } from '@gomomo/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, conversation, createWorld, type World } from '../support.js';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => world.db.drop());

// Issue 12: "Zoë 🌸 Ågren" was stored and confirmed as "Zo Gren". The channels' own tests
// (SMS, email, .ics) check the same table; here: chat, the database and the audit log's redaction.
describe('regression: names lose their letters', () => {
  it('has a table of at least 20 names', () => expect(namesAsWritten.length).toBeGreaterThanOrEqual(20));

  it.each(namesAsWritten.map((name, index) => ({ ...name, index })))('books "$typed" as "$kept" through chat', async ({ typed, kept, index }) => {
    const sessionId = `name-${index}`;
    const email = `guest${index}@example.com`;
    const c = conversation(world, sessionId);
    await c.say(`I would like a consultation on ${index % 2 === 0 ? 'Monday' : 'Tuesday'}`);
    await c.say('1');
    // Half give their name as a bare detail, half after "my name is".
    const summary = await c.say(index % 3 === 0 ? `My name is ${typed}, ${email}` : `${typed}, ${email}`);
    expect(summary.reply).toContain(`for ${kept} (${email})`);
    const done = await c.say('yes');
    expect(done.reply).toMatch(/You're booked/);
    const [row] = (await appointments(world)).filter((a) => a.session_id === sessionId);
    expect(row!.client_name).toBe(kept);
    const { rows } = await world.pool.query('SELECT contact_name FROM agent_sessions WHERE id = $1', [sessionId]);
    expect(rows[0].contact_name).toBe(kept);
    // What reaches the audit log is redacted text: contact details go, the name's letters stay.
    expect(redactText(summary.reply)).toContain(`for ${kept} ([email])`);
  });
});
