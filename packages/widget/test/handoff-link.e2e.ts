// Issue 16 item 6, the web half in a real browser: a caller who asked "text me a link" opens it on
// the business's site; the widget opens on the call's own conversation — what was said on the phone
// above the held slot's question — and the caller's typed "yes" books the slot the call held.
import { createHash, randomBytes } from 'node:crypto';
import { createReceptionist, issueOfferLink } from '@gomomo/agent';
import { createBookingEngine, readActiveHoldsOfSession, withTenant } from '@gomomo/core';
import { ManualClock } from '@gomomo/core/testing';
import { createPolicyEngine } from '@gomomo/policy';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, startOfTest, type TestApi } from './support/api.js';
import { lastReply, launchBrowser, say, widget } from './support/browser.js';
import { buildTestBundle } from './support/bundle.js';
import { hostPage, startHostSite, type HostSite } from './support/host.js';

let api: TestApi;
let site: HostSite;
let browser: Browser;
let publishableKey: string;
let tenantId: string;

/** A call (the voice channel's turns through the real receptionist) that stopped at the read-back, and its link's token. */
async function callThatHeldASlot(): Promise<{ token: string; sessionId: string }> {
  const clock = new ManualClock(startOfTest);
  const receptionist = createReceptionist({ pool: api.db.pool, engine: createBookingEngine({ pool: api.db.pool, clock }), policy: createPolicyEngine({ pool: api.db.pool, clock }), clock });
  const sessionId = `voice_${randomBytes(16).toString('hex')}`;
  const turn = (text: string) => receptionist.handleTurn({ tenantId, sessionId, channel: 'voice', text, verifiedContact: { phone: '+12025550166' } });
  expect((await turn('I would like to book a consultation on Wednesday December 2 at 10 am')).reply).toMatch(/holding/i);
  expect((await turn('Dana Reyes')).reply).toMatch(/^To confirm:/);
  const token = await withTenant(api.db.pool, tenantId, async (client) => {
    const [hold] = await readActiveHoldsOfSession(client, { tenantId, sessionId });
    return issueOfferLink(client, { tenantId, holdId: hold!.id, expiresAt: new Date(hold!.expiresAt), now: clock.now(), sessionId });
  });
  return { token, sessionId };
}

beforeAll(async () => {
  const widgetFile = await buildTestBundle();
  [api, site, browser] = await Promise.all([startApi({ widgetFile }), startHostSite(), launchBrowser()]);
  ({ publishableKey, tenantId } = await api.onboard('handoff-dental', [site.origin]));
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await api?.close();
});

describe('a call\'s "text me a link"', () => {
  it('opens the widget on the call\'s conversation, and a typed yes books the slot the call held', async () => {
    const { token, sessionId } = await callThatHeldASlot();
    const url = site.page('/book', hostPage({ scriptUrl: `${api.origin}/widget.js`, apiKey: publishableKey }));
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${url}#gomomo-offer=${token}`);
    await widget(page).getByText('I would like to book a consultation on Wednesday December 2 at 10 am').waitFor({ timeout: 20_000 });
    await widget(page).getByText('Just to be sure').waitFor();
    // After the widget's greeting: the phone's four lines, then the opening reply on the held slot.
    const bubbles = (await widget(page).locator('.b').allInnerTexts()).slice(1).map((text) => text.replace(/\n/, ' '));
    expect(bubbles).toEqual([
      'You: I would like to book a consultation on Wednesday December 2 at 10 am',
      expect.stringMatching(/^Assistant: I'm holding Wed, Dec 2, 10:00 AM for Consultation/),
      'You: Dana Reyes',
      expect.stringMatching(/^Assistant: To confirm: Consultation on Wed, Dec 2, 10:00 AM for Dana Reyes/),
      expect.stringMatching(/^Assistant: Just to be sure: shall I book Consultation on Wed, Dec 2, 10:00 AM\?/),
    ]);
    expect(await page.evaluate(() => location.href)).not.toContain('gomomo-offer');

    await say(page, 'yes');
    expect(await lastReply(page)).toMatch(/^You're booked: Consultation/);
    const { rows } = await api.db.pool.query('SELECT client_name AS name FROM appointments WHERE tenant_id = $1 AND session_id = $2 AND status = $3', [tenantId, sessionId, 'booked']);
    expect(rows).toEqual([{ name: 'Dana Reyes' }]);
    // The widget holds the conversation's new web token; the id alone (in the page or not) opens nothing.
    const stored = await page.evaluate(() => JSON.stringify(localStorage));
    expect(stored).not.toContain(sessionId);
    const { rows: sessions } = await api.db.pool.query<{ token_hash: Buffer }>('SELECT token_hash FROM agent_sessions WHERE id = $1', [sessionId]);
    expect(sessions[0]!.token_hash).toEqual(createHash('sha256').update(/gms_[A-Za-z0-9_-]{43}/.exec(stored)![0]).digest());
    await page.close();
  });
});
