// "Remember me on this device" in a real browser (issue 20 item 2): offered after a one-time code
// proved the customer, only where the business turned it on; the page's storage then holds an
// opaque token and never the email or phone; a later conversation is greeted by name; "Forget this
// device" clears the storage and revokes the token; a token carried to another site is refused.
import type { CodeMessage } from '@gomomo/agent';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApi, type TestApi } from './support/api.js';
import { lastReply, launchBrowser, openPanel, say, widget } from './support/browser.js';
import { buildTestBundle } from './support/bundle.js';
import { hostPage, startHostSite, type HostSite } from './support/host.js';

let api: TestApi;
let site: HostSite;
let otherSite: HostSite;
let browser: Browser;
const codes: CodeMessage[] = [];
const clinics = { remembering: { publishableKey: '', secretKey: '' }, forgetful: { publishableKey: '', secretKey: '' } };

beforeAll(async () => {
  const widgetFile = await buildTestBundle();
  [api, site, otherSite, browser] = await Promise.all([startApi({ widgetFile, codeSender: async (_client, message) => void codes.push(message) }), startHostSite(), startHostSite(), launchBrowser()]);
  clinics.remembering = await api.onboard('remembering-dental', [site.origin, otherSite.origin]);
  await api.call('tenant.update', { settings: { rememberDevice: { enabled: true } } }, clinics.remembering.secretKey);
  clinics.forgetful = await api.onboard('forgetful-dental', [site.origin]);
});

afterAll(async () => {
  await browser?.close();
  await otherSite?.close();
  await site?.close();
  await api?.close();
});

let seeded = 0;
/** A booking made by staff for `email`, as a returning customer would have. */
async function seedBooking(secretKey: string, client: { name: string; email: string }): Promise<string> {
  seeded += 1;
  const services = await fetch(`${api.origin}/trpc/services.list`, { headers: { authorization: `Bearer ${secretKey}` } }).then((r) => r.json() as Promise<{ result: { data: { id: string; resourceIds: string[] }[] } }>);
  const service = services.result.data[0]!;
  const sessionId = `seed-session-${seeded}`;
  const hold = await api.call<{ id: string }>('bookings.hold', { serviceId: service.id, start: `2026-12-0${1 + seeded}T15:00:00Z`, resourceId: service.resourceIds[0], sessionId }, secretKey);
  return (await api.call<{ reference: string }>('bookings.confirm', { holdId: hold.id, sessionId, client }, secretKey)).reference;
}

async function openWidget(context: BrowserContext, options: { on?: HostSite; publishableKey: string }): Promise<Page> {
  const page = await context.newPage();
  const host = options.on ?? site;
  await page.goto(host.page(`/visit-${Math.random().toString(36).slice(2)}`, hostPage({ scriptUrl: `${api.origin}/widget.js`, apiKey: options.publishableKey })));
  await openPanel(page);
  return page;
}

/** Asks to cancel the booking and types the code sent to its email: the contact is proven. */
async function proveByCode(page: Page, booking: { reference: string; email: string }): Promise<void> {
  await say(page, `Please cancel ${booking.reference}, ${booking.email}`);
  expect(await lastReply(page)).toMatch(/6-digit code/);
  await say(page, codes.at(-1)!.code);
  expect(await lastReply(page)).toMatch(/Shall I cancel it\?/);
}

/** Everything the page's origin keeps in localStorage, keys and values. */
function storedEverything(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((key) => [key, localStorage.getItem(key) ?? ''])));
}

const rememberButton = (page: Page) => widget(page).getByRole('button', { name: 'Remember me' });
const forgetButton = (page: Page) => widget(page).getByRole('button', { name: 'Forget this device' });

describe('remember me on this device', () => {
  it('remembers a proven customer with a token only, greets them by name next time, and forgets them on request', async () => {
    const email = 'ana.widget@example.com';
    const reference = await seedBooking(clinics.remembering.secretKey, { name: 'Ana Widget', email });
    const context = await browser.newContext();
    const page = await openWidget(context, { publishableKey: clinics.remembering.publishableKey });
    await proveByCode(page, { reference, email });
    await rememberButton(page).click();
    await forgetButton(page).waitFor();

    const stored = await storedEverything(page);
    const deviceToken = stored['gomomo:demo-clinic:device'];
    expect(deviceToken).toMatch(/^gmd_[A-Za-z0-9_-]{43}$/);
    // The typed email, the name and the phone are nowhere in the page's storage.
    const everything = JSON.stringify(stored);
    expect(everything).not.toContain('ana.widget');
    expect(everything).not.toContain('Ana Widget');

    // A later visit: the old conversation is gone, the device token stays.
    await page.evaluate(() => localStorage.removeItem('gomomo:demo-clinic'));
    await page.reload();
    await openPanel(page);
    await say(page, 'Hi!');
    expect(await lastReply(page)).toMatch(/^Welcome back, Ana!/);

    await forgetButton(page).click();
    await forgetButton(page).waitFor({ state: 'detached' });
    expect(Object.keys(await storedEverything(page))).not.toContain('gomomo:demo-clinic:device');
    // The widget forgets here first and tells the server after, so the button is gone before the server hears.
    await vi.waitFor(async () => {
      const { rows } = await api.db.pool.query<{ revoked_by: string | null }>('SELECT revoked_by FROM agent_device_tokens');
      expect(rows.map((row) => row.revoked_by)).toContain('customer');
    });
    await context.close();
  });

  it('refuses a token carried to another site of the business, and the widget there drops it', async () => {
    const email = 'bo.widget@example.com';
    const reference = await seedBooking(clinics.remembering.secretKey, { name: 'Bo Widget', email });
    const context = await browser.newContext();
    const page = await openWidget(context, { publishableKey: clinics.remembering.publishableKey });
    await proveByCode(page, { reference, email });
    await rememberButton(page).click();
    await forgetButton(page).waitFor();
    const deviceToken = (await storedEverything(page))['gomomo:demo-clinic:device']!;

    const thief = await browser.newContext();
    const elsewhere = await thief.newPage();
    await elsewhere.addInitScript({ content: `localStorage.setItem('gomomo:demo-clinic:device', ${JSON.stringify(deviceToken)});` });
    await elsewhere.goto(otherSite.page('/stolen', hostPage({ scriptUrl: `${api.origin}/widget.js`, apiKey: clinics.remembering.publishableKey })));
    await openPanel(elsewhere);
    await forgetButton(elsewhere).waitFor();
    await say(elsewhere, 'Hi!');
    expect(await lastReply(elsewhere)).not.toMatch(/Welcome back/);
    await forgetButton(elsewhere).waitFor({ state: 'detached' });
    expect(Object.keys(await storedEverything(elsewhere))).not.toContain('gomomo:demo-clinic:device');
    await thief.close();
    await context.close();
  });

  it('makes no offer where the business has not turned remembering on', async () => {
    const email = 'cy.widget@example.com';
    const reference = await seedBooking(clinics.forgetful.secretKey, { name: 'Cy Widget', email });
    const context = await browser.newContext();
    const page = await openWidget(context, { publishableKey: clinics.forgetful.publishableKey });
    await proveByCode(page, { reference, email });
    expect(await widget(page).getByText('Remember me on this device?').count()).toBe(0);
    expect(await rememberButton(page).count()).toBe(0);
    await context.close();
  });
});
