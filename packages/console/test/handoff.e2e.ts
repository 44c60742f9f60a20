// Issue 17, items 3 and 4 in Chromium: a customer asks the widget for a person, a staff member
// takes the conversation over in the console and answers, and the customer sees the reply in the
// widget. axe-core finds no serious violation on the inbox and conversation pages.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSecret, startApi, type TestApi } from './support/api.js';
import { launchBrowser, screenshots, seriousViolations } from './support/browser.js';
import { hostPage, startHostSite, type HostSite } from './support/host.js';

let api: TestApi;
let site: HostSite;
let browser: Browser;
let tenant: { tenantId: string; publishableKey: string; secretKey: string };
let staff: Page;
let customer: Page;
const password = 'owner password 1';

async function call(path: string, input: unknown): Promise<void> {
  const response = await fetch(`${api.origin}/trpc/${path}`, { method: 'POST', headers: { authorization: `Bearer ${adminSecret}`, 'content-type': 'application/json' }, body: JSON.stringify(input) });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
}

beforeAll(async () => {
  [api, site, browser] = await Promise.all([startApi(), startHostSite(), launchBrowser()]);
  tenant = await api.onboard('handoff-clinic', [site.origin]);
  await call('console.auth.createFirstOwner', { tenantId: tenant.tenantId, email: 'olivia@demo.example', name: 'Olivia Owner', password });
  // bypassCSP only lets the test inject axe-core; the console runs under its own CSP.
  staff = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true })).newPage();
  customer = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await api?.close();
});

describe('the hand-off to a person in Chromium', { timeout: 120_000 }, () => {
  it('a hand-off taken over and answered in the console; the customer sees the reply in the widget', async () => {
    await staff.goto(`${api.origin}/console`);
    await staff.getByLabel('Business').fill('handoff-clinic');
    await staff.getByLabel('Email').fill('olivia@demo.example');
    await staff.getByLabel('Password').fill(password);
    await staff.getByRole('button', { name: 'Sign in' }).click();
    await staff.getByRole('navigation', { name: 'Console' }).waitFor();
    await staff.goto(`${api.origin}/console#/inbox`);
    await staff.getByRole('heading', { level: 1, name: 'Conversations' }).waitFor();
    await staff.getByText('Nobody is waiting for a person.').waitFor();

    await customer.goto(site.page('/help', hostPage({ scriptUrl: `${api.origin}/widget.js`, apiKey: tenant.publishableKey, attributes: { tenant: 'handoff-clinic' } })));
    const widget = customer.locator('[data-gomomo]');
    await widget.getByRole('button', { name: 'Open chat' }).click();
    await widget.getByRole('textbox', { name: 'Your message' }).fill('Can I talk to a real person?');
    await widget.getByRole('button', { name: 'Send' }).click();
    await widget.locator('.b.a', { hasText: 'passing you to our team' }).waitFor({ timeout: 20_000 });

    // The inbox learns it live (console.inbox.events), without a reload.
    await staff.getByText('1 conversation waiting for a person.').waitFor({ timeout: 20_000 });
    expect(await seriousViolations(staff)).toEqual([]);
    await screenshots(staff, 'inbox');

    await staff.getByRole('link', { name: /Anonymous visitor/ }).click();
    await staff.getByRole('button', { name: 'Take over' }).click();
    const reply = staff.getByLabel(/Reply to the customer/);
    await reply.fill('Hi, this is Olivia from the clinic. How can I help?');
    await staff.getByRole('button', { name: 'Send reply' }).click();
    await staff.locator('.msg-staff', { hasText: 'this is Olivia' }).waitFor();
    expect(await seriousViolations(staff)).toEqual([]);
    await screenshots(staff, 'conversation');

    await widget.locator('.b.st', { hasText: 'Hi, this is Olivia from the clinic. How can I help?' }).waitFor({ timeout: 20_000 });

    // While staff hold it the receptionist stays silent; staff see the customer's words live.
    const receptionistBubbles = await widget.locator('.b.a:not(.st)').count();
    await widget.getByRole('textbox', { name: 'Your message' }).fill('I need to move my appointment');
    await widget.getByRole('button', { name: 'Send' }).click();
    await staff.locator('.msg-user', { hasText: 'I need to move my appointment' }).waitFor({ timeout: 20_000 });
    expect(await widget.locator('.b.a:not(.st)').count()).toBe(receptionistBubbles);

    await staff.getByRole('button', { name: 'Hand back to the receptionist' }).click();
    await staff.getByRole('button', { name: 'Take over' }).waitFor();
  });
});
