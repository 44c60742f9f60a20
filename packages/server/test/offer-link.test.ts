// chat.openOffer: the widget's side of a waitlist offer link (issue 14 item 2). The link's token
// opens a new conversation holding the offered slot; the customer's yes there books it.
import { issueOfferLink } from '@gomomo/agent';
import { markEntryOffered, withTenant } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, trpcData, trpcError, type Harness, type TestTenant } from './harness.js';

let h: Harness;
let tenant: TestTenant;
let slot = 0;

/** A waitlist entry offered a held slot, and the offer link's token (as the offer email carries it). */
async function offer(): Promise<{ token: string; start: string }> {
  slot += 1;
  const start = `2026-12-02T${String(14 + slot).padStart(2, '0')}:00:00Z`;
  const entry = trpcData<{ id: string }>(
    await h.call('waitlist.join', { serviceId: tenant.serviceId, windowStart: '2026-12-02', windowEnd: '2026-12-03', client: { name: `Bea ${slot}`, email: `bea${slot}@example.com` } }, { key: tenant.secretKey }),
  );
  const hold = trpcData<{ id: string; expiresAt: string }>(
    await h.call('bookings.hold', { serviceId: tenant.serviceId, start, resourceId: tenant.resourceId, sessionId: `waitlist-offer-${entry.id}` }, { key: tenant.secretKey }),
  );
  const token = await withTenant(h.db.pool, tenant.id, async (client) => {
    await markEntryOffered(client, { tenantId: tenant.id, entryId: entry.id, holdId: hold.id });
    return issueOfferLink(client, { tenantId: tenant.id, holdId: hold.id, expiresAt: new Date(hold.expiresAt), now: h.clock.now() });
  });
  return { token, start };
}

const asVisitor = () => ({ key: tenant.publishableKey, origin: tenant.origin });

beforeAll(async () => {
  h = await createHarness({ withReceptionist: true });
  tenant = await h.onboard('offer-clinic', 'https://offer.example');
});
afterAll(() => h.close());

describe('chat.openOffer', () => {
  it('opens the offer in a new conversation whose yes books exactly the offered slot', async () => {
    const { token, start } = await offer();
    const opened = trpcData<{ reply: string; sessionToken: string }>(await h.call('chat.openOffer', { offerToken: token }, asVisitor()));
    expect(opened.reply).toMatch(/^To confirm: Consultation on .* for Bea 1 \(bea1@example.com\)\. Shall I book it\?$/);
    expect(opened.sessionToken).toMatch(/^gms_[A-Za-z0-9_-]{43}$/);
    const done = trpcData<{ reply: string }>(await h.call('chat.send', { text: 'yes' }, { ...asVisitor(), headers: { 'x-gomomo-session': opened.sessionToken } }));
    expect(done.reply).toMatch(/^You're booked/);
    const { rows } = await h.db.pool.query('SELECT client_name AS name, starts_at AS "startsAt" FROM appointments WHERE tenant_id = $1 AND status = $2 AND client_name = $3', [tenant.id, 'booked', 'Bea 1']);
    expect(rows).toEqual([{ name: 'Bea 1', startsAt: new Date(start) }]);
  });

  it('answers a spent, lapsed or unknown token alike: 404 NOT_FOUND naming no detail', async () => {
    const spent = await offer();
    expect((await h.call('chat.openOffer', { offerToken: spent.token }, asVisitor())).statusCode).toBe(200);
    const lapsed = await offer();
    h.clock.advance(60 * 60_000);
    const answers = [];
    for (const offerToken of [spent.token, lapsed.token, `gmo_${'x'.repeat(43)}`]) {
      const response = await h.call('chat.openOffer', { offerToken }, asVisitor());
      answers.push([response.statusCode, trpcError(response).code, trpcError(response).message]);
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toEqual([404, 'NOT_FOUND', 'This offer link is unknown, already used or expired']);
  });

  it('refuses a malformed token with 400 naming the field', async () => {
    const response = await h.call('chat.openOffer', { offerToken: 'not-a-token' }, asVisitor());
    expect(response.statusCode).toBe(400);
    expect(trpcError(response).fields).toEqual([{ field: 'offerToken', message: 'must be the token from the offer link' }]);
  });
});
