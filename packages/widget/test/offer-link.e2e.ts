// Issue 14 item 2, the web half in a real browser: a waitlist offer's link opens the host page with
// `#gomomo-offer=<token>`; the widget takes the token out of the address bar, opens the panel on the
// offer's summary, and the customer's "yes" books exactly the offered slot.
import { issueOfferLink } from '@gomomo/agent';
import { createBookingEngine, markEntryOffered, withTenant } from '@gomomo/core';
import { ManualClock } from '@gomomo/core/testing';
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

/** Bea is on the waitlist and offered Wednesday 10:00 (as the worker does), with the link's token. */
async function offerToBea(): Promise<{ token: string; start: string }> {
  const engine = createBookingEngine({ pool: api.db.pool, clock: new ManualClock(startOfTest) });
  const { rows } = await api.db.pool.query<{ id: string }>('SELECT id FROM services WHERE tenant_id = $1', [tenantId]);
  const serviceId = rows[0]!.id;
  const entry = await engine.joinWaitlist({ tenantId, serviceId, windowStart: '2026-12-02', windowEnd: '2026-12-03', client: { name: 'Bea Lima', email: 'bea@example.com' } });
  const hold = await engine.hold({ tenantId, serviceId, start: '2026-12-02T15:00:00Z', sessionId: `waitlist-offer-${entry.id}`, ttlSeconds: 900 });
  const token = await withTenant(api.db.pool, tenantId, async (client) => {
    await markEntryOffered(client, { tenantId, entryId: entry.id, holdId: hold.id });
    return issueOfferLink(client, { tenantId, holdId: hold.id, expiresAt: new Date(hold.expiresAt), now: new Date(startOfTest) });
  });
  return { token, start: hold.start };
}

beforeAll(async () => {
  const widgetFile = await buildTestBundle();
  [api, site, browser] = await Promise.all([startApi({ widgetFile }), startHostSite(), launchBrowser()]);
  ({ publishableKey, tenantId } = await api.onboard('offer-dental', [site.origin]));
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await api?.close();
});

describe('a waitlist offer link', () => {
  it('opens the panel on the offer, leaves the address bar at once, and "yes" books the offered slot', async () => {
    const { token, start } = await offerToBea();
    const url = site.page('/book', hostPage({ scriptUrl: `${api.origin}/widget.js`, apiKey: publishableKey }));
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(`${url}#gomomo-offer=${token}`);
    await widget(page).getByText('To confirm:').waitFor({ timeout: 20_000 });
    expect(await lastReply(page)).toMatch(/^To confirm: Consultation on Wed, Dec 2, 10:00 AM for Bea Lima \(bea@example.com\)\. Shall I book it\?$/);
    expect(page.url()).toBe(url);
    expect(await page.evaluate(() => location.href)).not.toContain('gomomo-offer');
    // The token was in no URL any server saw (the fragment is never sent; the call is a POST).
    expect(requested.filter((u) => u.includes(token))).toEqual([]);

    await say(page, 'yes');
    await widget(page).locator('.k').waitFor();
    const { rows } = await api.db.pool.query('SELECT client_name AS name, starts_at AS "startsAt" FROM appointments WHERE tenant_id = $1 AND status = $2', [tenantId, 'booked']);
    expect(rows).toEqual([{ name: 'Bea Lima', startsAt: new Date(start) }]);

    // The link was spent: opening it again says so, and starts nothing.
    const again = await browser.newPage();
    await again.goto(`${url}#gomomo-offer=${token}`);
    await widget(again).getByText('This offer link has expired or was already used').waitFor({ timeout: 20_000 });
    expect(again.url()).toBe(url);
    await again.close();
    await page.close();
  });
});
