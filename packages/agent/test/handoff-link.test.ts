// The phone → text handoff link ("text me a link"): it opens the call's own conversation, binding a
// web token to it once; the link token is the only key, so neither a second link nor a link issued
// for a conversation someone already holds a token for can take a conversation over.
import { issueHandoffLink, issueOfferLink } from '../src/index.js';
import { withTenant } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeHolds, createWorld, type World } from './support.js';

let world: World;

beforeAll(async () => {
  world = await createWorld({ tenant: { settings: { siteUrl: 'https://clinic.example/book' } } });
});
afterAll(async () => {
  await world.db.drop();
});

/** A call's conversation holding a slot, as the voice channel leaves it. */
async function callHoldingASlot(sessionId: string, time = '10 am'): Promise<void> {
  const result = await world.receptionist.handleTurn({ tenantId: world.tenant.id, sessionId, channel: 'voice', text: `I would like to book a consultation on Tuesday March 10 at ${time}`, verifiedContact: { phone: '+12025550160' } });
  expect(result.reply).toMatch(/holding/i);
}

const tokenOf = (link: string | null): string => /#gomomo-offer=(gmo_[A-Za-z0-9_-]{43})$/.exec(link ?? '')![1]!;

describe('issueHandoffLink', () => {
  it('opens the call\'s own conversation once, with what was said as history; a second link for it opens nothing', async () => {
    const sessionId = 'voice_handoff_once';
    await callHoldingASlot(sessionId);
    const first = tokenOf(await issueHandoffLink(world.pool, { tenantId: world.tenant.id, sessionId, now: world.clock.now() }));
    const second = tokenOf(await issueHandoffLink(world.pool, { tenantId: world.tenant.id, sessionId, now: world.clock.now() }));
    const opened = await world.receptionist.openOffer({ tenantId: world.tenant.id, offerToken: first });
    expect(opened).toMatchObject({ sessionId, history: [{ role: 'user', content: 'I would like to book a consultation on Tuesday March 10 at 10 am' }, { role: 'assistant', content: expect.stringMatching(/holding/i) }] });
    expect((await activeHolds(world, sessionId)).length).toBe(1);
    // The conversation is bound to the first link's web token: the second link cannot bind it again.
    expect(await world.receptionist.openOffer({ tenantId: world.tenant.id, offerToken: second })).toBeNull();
    expect(await world.receptionist.findConversation({ tenantId: world.tenant.id, token: opened!.token })).toEqual({ sessionId, channel: 'web' });
  });

  it('cannot take over a conversation someone already holds a token for, and leaves the link unspent', async () => {
    const visitor = await world.receptionist.startConversation({ tenantId: world.tenant.id, channel: 'web' });
    await world.receptionist.handleTurn({ tenantId: world.tenant.id, sessionId: visitor.sessionId, channel: 'web', text: 'I would like to book a consultation on Tuesday March 10 at 2 pm' });
    const [hold] = await activeHolds(world, visitor.sessionId);
    const token = await withTenant(world.pool, world.tenant.id, (client) => issueOfferLink(client, { tenantId: world.tenant.id, holdId: hold!.id, expiresAt: new Date('2026-03-05T15:00:00Z'), now: world.clock.now(), sessionId: visitor.sessionId }));
    expect(await world.receptionist.openOffer({ tenantId: world.tenant.id, offerToken: token })).toBeNull();
    const { rows } = await world.pool.query('SELECT used_at FROM agent_offer_links WHERE session_id = $1', [visitor.sessionId]);
    expect(rows).toEqual([{ used_at: null }]);
    expect(await world.receptionist.findConversation({ tenantId: world.tenant.id, token: visitor.token })).toEqual({ sessionId: visitor.sessionId, channel: 'web' });
  });
  it('a handoff link opened twice at once opens the call once; opened after the hold lapsed it opens nothing', async () => {
    const sessionId = 'voice_handoff_race';
    await callHoldingASlot(sessionId, '11 am');
    const token = tokenOf(await issueHandoffLink(world.pool, { tenantId: world.tenant.id, sessionId, now: world.clock.now() }));
    const both = await Promise.all([token, token].map((offerToken) => world.receptionist.openOffer({ tenantId: world.tenant.id, offerToken })));
    expect(both.filter((opened) => opened !== null).map((opened) => opened!.sessionId)).toEqual([sessionId]);

    const late = 'voice_handoff_late';
    await callHoldingASlot(late, '3 pm');
    const lateToken = tokenOf(await issueHandoffLink(world.pool, { tenantId: world.tenant.id, sessionId: late, now: world.clock.now() }));
    const { rows: [hold] } = await world.pool.query<{ expiresAt: Date }>(`SELECT expires_at AS "expiresAt" FROM holds WHERE session_id = $1 AND status = 'active'`, [late]);
    world.clock.set(new Date(hold!.expiresAt.getTime() + 1000));
    expect(await world.receptionist.openOffer({ tenantId: world.tenant.id, offerToken: lateToken })).toBeNull();
    const { rows } = await world.pool.query('SELECT token_hash IS NULL AS "isUnbound" FROM agent_sessions WHERE id = $1', [late]);
    expect(rows).toEqual([{ isUnbound: true }]);
  });
});
