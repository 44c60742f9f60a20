import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type TestTenant } from '../harness.js';

// Issue 13: "Anyone can drain a calendar": each new session id got a hold, with no cap per client.
// End to end through chat.send: the client address the server trusts reaches the receptionist's
// hold quota (the figures for two weeks are in @gomomo/agent's test of the same name).

let h: Harness;
let a: TestTenant;

beforeAll(async () => {
  h = await createHarness({ withReceptionist: true });
  a = await h.onboard('drain-a', 'https://a.example');
});
afterAll(() => h.close());

/** A new conversation (no session token: the server starts one) from `remoteAddress`. */
const say = (text: string, remoteAddress: string) =>
  h.app.inject({
    method: 'POST',
    url: '/trpc/chat.send',
    remoteAddress,
    headers: { authorization: `Bearer ${a.publishableKey}`, origin: a.origin, 'content-type': 'application/json' },
    payload: JSON.stringify({ text }),
  });

async function heldSessions(): Promise<string[]> {
  const { rows } = await h.db.pool.query<{ session_id: string }>("SELECT session_id FROM holds WHERE tenant_id = $1 AND status = 'active' ORDER BY created_at", [a.id]);
  return rows.map((r) => r.session_id);
}

describe('regression: anyone can drain a calendar', () => {
  it('lets one address hold a few slots across new conversations, then refuses, while another visitor still holds', async () => {
    const times = ['10am', '11am', '1pm', '2pm', '3pm'];
    const sessions: string[] = [];
    for (const time of times) {
      const response = await say(`Book me a consultation tomorrow at ${time}`, '203.0.113.7');
      expect(response.statusCode, response.body).toBe(200);
      sessions.push((response.json() as { result: { data: { sessionId: string } } }).result.data.sessionId);
    }
    expect(await heldSessions()).toEqual(sessions.slice(0, 3));
    const other = await say('Book me a consultation tomorrow at 4pm', '198.51.100.20');
    expect(other.statusCode).toBe(200);
    expect(await heldSessions()).toContain((other.json() as { result: { data: { sessionId: string } } }).result.data.sessionId);
  });
});
