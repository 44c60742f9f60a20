import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from './support/api.js';
import { artifactsDir, lastReply, launchBrowser, openPanel, say, widget } from './support/browser.js';
import { buildTestBundle } from './support/bundle.js';
import { hostPage, startHostSite, type HostSite } from './support/host.js';

let api: TestApi;
let site: HostSite;
let browser: Browser;
let publishableKey: string;
let tenantId: string;

beforeAll(async () => {
  const widgetFile = await buildTestBundle();
  [api, site, browser] = await Promise.all([startApi({ widgetFile }), startHostSite(), launchBrowser()]);
  ({ publishableKey, tenantId } = await api.onboard('smile-dental', [site.origin]));
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await api?.close();
});

describe('the widget on a third-party page', () => {
  it('books an appointment end to end, with slot buttons, a confirmation card and the booking event', async () => {
    const url = site.page('/book', hostPage({ scriptUrl: `${api.origin}/widget.js`, apiKey: publishableKey, body: '<script>window.booked=[]</script>' }));
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const apiUrls: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(`${api.origin}/trpc`)) apiUrls.push(request.url());
    });
    await page.goto(url);
    await openPanel(page);
    await page.evaluate(() => (window as unknown as { gomomo: (...args: unknown[]) => void }).gomomo('on', 'booking', (booking: unknown) => (window as unknown as { booked: unknown[] }).booked.push(booking)));
    expect(await widget(page).getByText('Automated assistant, not a person').isVisible()).toBe(true);
    await say(page, 'I would like to book a consultation on Wednesday');
    console.log(await lastReply(page));
    const slots = widget(page).getByRole('group', { name: 'Available times' }).getByRole('button');
    expect(await slots.count()).toBeGreaterThan(0);
    const before = await widget(page).locator('.b.a').count();
    await slots.first().click();
    await widget(page).locator('.b.a').nth(before).waitFor();
    console.log(await lastReply(page));
    await say(page, 'Ana Silva, ana@example.com');
    console.log(await lastReply(page));
    await say(page, 'yes');
    console.log(await lastReply(page));
    const card = widget(page).locator('.k');
    await card.waitFor();
    const reference = await card.getAttribute('data-reference');
    expect(reference).toMatch(/^GM-[0-9A-Z]{5}$/);
    await page.screenshot({ path: `${artifactsDir}desktop-booked.png` });
    const { rows } = await api.db.pool.query('SELECT status, client_name, client_email FROM appointments WHERE tenant_id = $1 AND reference = $2', [tenantId, reference]);
    expect(rows).toEqual([{ status: 'booked', client_name: 'Ana Silva', client_email: 'ana@example.com' }]);
    expect(await page.evaluate(() => (window as unknown as { booked: { reference: string }[] }).booked.map((b) => b.reference))).toEqual([reference]);
    // Regression (issue 13): no key and no session token in any URL the widget requests; the
    // stream's URL carries only a single-use ticket.
    expect(apiUrls.some((u) => u.includes('/trpc/chat.events'))).toBe(true);
    expect(apiUrls.filter((u) => /pk_live_|sk_live_|gms_|sessionId/.test(decodeURIComponent(u)))).toEqual([]);
    await page.close();
  });
});
