import { createHash } from 'node:crypto';
import { recordEvent, withTransaction } from '@gomomo/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, startOfTest, type TestApi } from './support/api.js';
import { artifactsDir, lastReply, launchBrowser, openPanel, say, widget } from './support/browser.js';
import { buildTestBundle } from './support/bundle.js';
import { hostPage, startHostSite, type HostSite } from './support/host.js';

let api: TestApi;
let site: HostSite;
let stranger: HostSite;
let browser: Browser;
let key: string;
let tenantId: string;

beforeAll(async () => {
  const widgetFile = await buildTestBundle();
  [api, site, stranger, browser] = await Promise.all([startApi({ widgetFile }), startHostSite(), startHostSite(), launchBrowser()]);
  ({ publishableKey: key, tenantId } = await api.onboard('resilient-clinic', [site.origin]));
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await stranger?.close();
  await api?.close();
});

function sessionTokenOf(page: Page): Promise<string> {
  return page.evaluate(() => (JSON.parse(localStorage.getItem('gomomo:demo-clinic') ?? '{}') as { sessionToken: string }).sessionToken);
}

/** The server's internal id of the conversation a token opens (only the token's hash is stored). */
async function sessionIdOf(token: string): Promise<string> {
  const hash = createHash('sha256').update(token).digest();
  const { rows } = await api.db.pool.query<{ id: string }>('SELECT id FROM agent_sessions WHERE token_hash = $1', [hash]);
  return rows[0]!.id;
}

describe('the widget under real-world trouble', () => {
  it('refuses a publishable key on a site that is not among its allowed origins, with a visible, friendly message', async () => {
    const page = await browser.newPage();
    await page.goto(stranger.page('/copycat', hostPage({ scriptUrl: `${api.origin}/widget.js`, apiKey: key })));
    await openPanel(page);
    await widget(page).getByRole('textbox', { name: 'Your message' }).fill('hello');
    await widget(page).getByRole('button', { name: 'Send' }).click();
    const notice = widget(page).getByRole('alert').filter({ hasText: 'This chat is not enabled on this website yet' });
    await notice.waitFor();
    expect(await widget(page).getByRole('textbox').count()).toBe(0);
    await page.screenshot({ path: `${artifactsDir}refused-origin.png` });
    await page.close();
  });

  it('resumes the conversation after a reload mid-conversation, and the server continues from there', async () => {
    const page = await browser.newPage();
    await page.goto(site.page('/reload', hostPage({ scriptUrl: `${api.origin}/widget.js`, apiKey: key })));
    await openPanel(page);
    await say(page, 'I would like to book a consultation on Friday');
    const offer = await lastReply(page);
    const sessionToken = await sessionTokenOf(page);
    expect(sessionToken).toMatch(/^gms_[A-Za-z0-9_-]{43}$/);
    await page.reload();
    // The panel comes back open, with the conversation and its slot buttons.
    await widget(page).getByRole('dialog').waitFor();
    expect(await lastReply(page)).toBe(offer);
    const slots = widget(page).getByRole('group', { name: 'Available times' }).getByRole('button');
    const label = await slots.nth(1).innerText();
    const before = await widget(page).locator('.b.a').count();
    await slots.nth(1).click();
    await widget(page).locator('.b.a').nth(before).waitFor();
    expect(await lastReply(page)).toContain(`I'm holding ${label}`);
    expect(await sessionTokenOf(page)).toBe(sessionToken);
    await page.close();
  });

  it('shows a toast when the network drops, keeps the message for retry, and sends it once back online', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(site.page('/offline', hostPage({ scriptUrl: `${api.origin}/widget.js`, apiKey: key })));
    await openPanel(page);
    await context.setOffline(true);
    await widget(page).getByRole('textbox', { name: 'Your message' }).fill('what are your hours?');
    await widget(page).getByRole('button', { name: 'Send' }).click();
    await widget(page).getByText('Can’t reach the assistant').waitFor();
    await context.setOffline(false);
    await widget(page).getByRole('button', { name: 'Retry' }).click();
    await widget(page).locator('.b.a').nth(1).waitFor();
    expect(await lastReply(page)).toMatch(/9:00|open/i);
    expect(await widget(page).locator('.b.u').count()).toBe(1);
    await context.close();
  });

  it('shows a push card for an event that arrives on the session while the visitor is idle', async () => {
    const page = await browser.newPage();
    await page.goto(site.page('/push', hostPage({ scriptUrl: `${api.origin}/widget.js`, apiKey: key })));
    await openPanel(page);
    await say(page, 'hello');
    const sessionId = await sessionIdOf(await sessionTokenOf(page));
    // Give the SSE stream a moment to be open; what it misses is replayed anyway on reconnect.
    await page.waitForTimeout(500);
    await withTransaction(api.db.pool, (client) => recordEvent(client, { tenantId, type: 'slot.opened', sessionId, payload: {}, occurredAt: new Date(startOfTest) }));
    const card = widget(page).locator('.pc').filter({ hasText: 'A time you were waiting for just opened up.' });
    await card.waitFor({ timeout: 10_000 });
    await card.getByRole('button', { name: 'Show me' }).click();
    await widget(page).locator('.b.a').nth(2).waitFor();
    expect(await widget(page).locator('.pc').count()).toBe(0);
    await page.close();
  });
});
