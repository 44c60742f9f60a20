import { enqueueOutboxMessage } from '@gomomo/channels';
import { withTenant } from '@gomomo/core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSecret, startApi, type TestApi } from './support/api.js';
import { launchBrowser, screenshots, seriousViolations } from './support/browser.js';
import { hostPage, startHostSite, type HostSite } from './support/host.js';

let api: TestApi;
let site: HostSite;
let browser: Browser;
let tenant: { tenantId: string; publishableKey: string; secretKey: string };
let owner: Page;
let ownerContext: BrowserContext;
const ownerPassword = 'owner password 1';

beforeAll(async () => {
  [api, site, browser] = await Promise.all([startApi(), startHostSite(), launchBrowser()]);
  tenant = await api.onboard('demo-clinic', [site.origin]);
  ownerContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
  owner = await ownerContext.newPage();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await api?.close();
});

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${api.origin}/console`);
  await page.getByLabel('Business').fill('demo-clinic');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Console' }).waitFor();
}

async function open(page: Page, path: string, heading: string): Promise<void> {
  await page.goto(`${api.origin}/console#/${path}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

// bypassCSP only lets the test inject axe-core; the console itself runs under its strict CSP.
describe('the staff console in Chromium', { timeout: 90_000 }, () => {
  it('signs up the first owner with the admin secret, then signs in', async () => {
    await owner.goto(`${api.origin}/console#/first-owner`);
    expect(await seriousViolations(owner)).toEqual([]);
    await screenshots(owner, 'first-owner');
    await owner.getByLabel('Admin secret').fill(adminSecret);
    await owner.getByLabel('Business id').fill(tenant.tenantId);
    await owner.getByLabel('Your name').fill('Olivia Owner');
    await owner.getByLabel('Email').fill('owner@demo.example');
    await owner.getByLabel('Password').fill('short');
    await owner.getByRole('button', { name: 'Create owner' }).click();
    // The server's error appears next to its field.
    await owner.getByText('must be at least 10 characters').waitFor();
    await owner.getByLabel('Password').fill(ownerPassword);
    await owner.getByRole('button', { name: 'Create owner' }).click();
    await owner.getByRole('status').getByText('The owner account is ready').waitFor();
    await owner.getByRole('link', { name: 'Sign in' }).click();
    expect(await seriousViolations(owner)).toEqual([]);
    await screenshots(owner, 'sign-in');
    await signIn(owner, 'owner@demo.example', ownerPassword);
    expect(await owner.getByText('Olivia Owner (owner)').isVisible()).toBe(true);
    const cookies = await ownerContext.cookies();
    expect(cookies.find((c) => c.name === 'gomomo_staff')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  it('invites a staff member, who sets a password, signs in and sees no owner settings', async () => {
    await open(owner, 'settings', 'Settings');
    const invite = owner.getByRole('form', { name: 'Invite a team member' });
    await invite.getByLabel('Email').fill('sam@demo.example');
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await owner.getByText('Invitation sent to sam@demo.example').waitFor();
    const { rows } = await api.db.pool.query<{ body: string }>(`SELECT body FROM notification_outbox WHERE tenant_id = $1 AND template = 'staff_invite'`, [tenant.tenantId]);
    const link = /(http\S+#\/accept\/[\w-]+)/.exec(rows[0]!.body)![1]!;
    const token = link.split('/accept/')[1]!;

    const staffContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const staff = await staffContext.newPage();
    await staff.goto(`${api.origin}/console#/accept/${token}`);
    expect(await seriousViolations(staff)).toEqual([]);
    await screenshots(staff, 'accept-invite');
    await staff.getByLabel('Your name').fill('Sam Staff');
    await staff.getByLabel('Choose a password').fill('sam password 1');
    await staff.getByRole('button', { name: 'Set password and sign in' }).click();
    await staff.getByText('Sam Staff (staff)').waitFor();
    const nav = staff.getByRole('navigation', { name: 'Console' });
    expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Bookings', 'Conversations', 'Messages', 'Audit', 'Services', 'Staff & rooms']);
    await staff.getByRole('button', { name: 'Sign out', exact: true }).click();
    await signIn(staff, 'sam@demo.example', 'sam password 1');
    await staffContext.close();
  });

  it('a booking seen live as a customer makes it in the widget, then moved and cancelled', async () => {
    // The grid is open before the customer starts, and is never reloaded: the booking must be pushed to it.
    await open(owner, 'bookings/day/2026-12-02', 'Bookings');
    await owner.getByRole('region', { name: 'Dr. Ana' }).getByText('No bookings.').waitFor();
    await owner.evaluate(() => ((window as unknown as { isSamePage: boolean }).isSamePage = true));

    const customer = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await customer.goto(site.page('/book', hostPage({ scriptUrl: `${api.origin}/widget.js`, apiKey: tenant.publishableKey })));
    const widget = customer.locator('[data-gomomo]');
    await widget.getByRole('button', { name: 'Open chat' }).click();
    const say = async (text: string) => {
      const before = await widget.locator('.b.a').count();
      await widget.getByRole('textbox', { name: 'Your message' }).fill(text);
      await widget.getByRole('button', { name: 'Send' }).click();
      await widget.locator('.b.a').nth(before).waitFor({ timeout: 20_000 });
    };
    await say('I would like to book a consultation on Wednesday');
    const before = await widget.locator('.b.a').count();
    await widget.getByRole('group', { name: 'Available times' }).getByRole('button').first().click();
    await widget.locator('.b.a').nth(before).waitFor();
    await say('Ana Silva, ana@example.com');
    await say('yes');
    const card = widget.locator('.k');
    await card.waitFor();
    const reference = (await card.getAttribute('data-reference'))!;
    await customer.close();

    const booking = owner.locator('.booking', { hasText: reference });
    await booking.waitFor();
    expect(await owner.evaluate(() => (window as unknown as { isSamePage?: boolean }).isSamePage)).toBe(true);
    expect(await booking.innerText()).toContain('Ana Silva');
    expect(await booking.innerText()).toContain('chat');
    expect(await seriousViolations(owner)).toEqual([]);
    await screenshots(owner, 'bookings-day');

    const startBefore = await booking.locator('strong').innerText();
    await owner.getByRole('button', { name: `Move ${reference}` }).click();
    const move = owner.getByRole('form', { name: new RegExp(`^Move ${reference}`) });
    const time = move.getByLabel('Time');
    await time.waitFor();
    const options = await time.locator('option').allInnerTexts();
    const target = options.find((o) => !startBefore.startsWith(o))!;
    await time.selectOption({ label: target });
    await move.getByRole('button', { name: 'Move booking' }).click();
    await owner.locator('.booking', { hasText: reference }).locator('strong', { hasText: target }).waitFor();

    await owner.getByRole('button', { name: `Cancel ${reference}` }).click();
    const cancel = owner.getByRole('form', { name: new RegExp(`^Cancel ${reference}`) });
    await cancel.getByLabel('Reason (optional)').fill('Caller asked');
    await cancel.getByRole('button', { name: 'Cancel booking' }).click();
    await owner.locator('.booking.cancelled', { hasText: reference }).waitFor();
    const { rows } = await api.db.pool.query<{ action: string }>(`SELECT action FROM audit_log WHERE tenant_id = $1 AND subject_id = $2 AND actor = 'staff' ORDER BY seq`, [tenant.tenantId, reference]);
    expect(rows.map((r) => r.action)).toEqual(['booking.reschedule', 'booking.cancel']);

    await open(owner, 'bookings/week/2026-11-30', 'Bookings');
    await owner.locator('.booking', { hasText: reference }).waitFor();
    await screenshots(owner, 'bookings-week');
  });

  it('retries a failed message from the Messages page', async () => {
    // The fixture: a message the provider refused (what the sender records after a 4xx).
    const id = await withTenant(api.db.pool, tenant.tenantId, async (client) => {
      const { id } = await enqueueOutboxMessage(client, { tenantId: tenant.tenantId, channel: 'sms', template: 'reminder', recipient: '+12125550123', body: 'See you tomorrow', idempotencyKey: 'e2e-failed', isTransactional: true });
      await client.query(`UPDATE notification_outbox SET status = 'failed', attempts = 5, last_error = 'Twilio 21610: unsubscribed recipient', provider = 'twilio' WHERE id = $1`, [id]);
      return id;
    }, { isolation: 'read committed' });
    await open(owner, 'messages', 'Messages');
    const row = owner.locator('tr', { hasText: '+12125550123' });
    expect(await row.innerText()).toContain('Twilio 21610');
    expect(await seriousViolations(owner)).toEqual([]);
    await screenshots(owner, 'messages');
    await row.getByRole('button', { name: 'Retry the message to +12125550123' }).click();
    await row.locator('.status-pending').waitFor();
    const { rows } = await api.db.pool.query<{ status: string }>('SELECT status FROM notification_outbox WHERE id = $1', [id]);
    expect(rows[0]!.status).toBe('pending');
  });

  it('verifies the audit chain, and shows the first broken row after tampering', async () => {
    await open(owner, 'audit', 'Audit');
    await owner.getByRole('button', { name: 'Verify chain' }).click();
    await owner.getByText(/The chain is intact: \d+ entries verified/).waitFor();
    expect(await seriousViolations(owner)).toEqual([]);
    await screenshots(owner, 'audit');

    // Someone with database access rewrites history: the append-only trigger is bypassed as a
    // superuser could (replica mode), and the verification names the first row that no longer matches.
    const client = await api.db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SET LOCAL session_replication_role = 'replica'");
      await client.query(`UPDATE audit_log SET reason = 'nothing happened' WHERE tenant_id = $1 AND seq = 2`, [tenant.tenantId]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    await owner.getByRole('button', { name: 'Verify chain' }).click();
    await owner.getByText(/The chain is broken at entry #2 \(row \d+\)/).waitFor();
  });

  it('changes the opening hours and the slot preview follows', async () => {
    await open(owner, 'settings', 'Settings');
    const preview = owner.getByTestId('slot-preview');
    await preview.getByText(/^\d+ open slots on 2026-12-02/).waitFor();
    const before = await preview.locator('li').count();
    expect(before).toBeGreaterThan(0);
    expect(await seriousViolations(owner)).toEqual([]);
    await screenshots(owner, 'settings');
    // Wednesday (the third interval): close at noon instead of 17:00.
    const hours = owner.getByRole('form', { name: 'Opening hours' });
    await hours.getByLabel('Closes').nth(2).fill('08:00');
    await hours.getByRole('button', { name: 'Save hours' }).click();
    await hours.getByText('closes must be after opens').waitFor();
    await hours.getByLabel('Closes').nth(2).fill('12:00');
    await hours.getByRole('button', { name: 'Save hours' }).click();
    await owner.waitForFunction((count) => document.querySelectorAll('[data-testid="slot-preview"] li').length < count, before);
    expect(await preview.locator('li').last().innerText()).toBe('11:30');
  });

  it('runs the main flows with the keyboard only', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${api.origin}/console`);
    await page.getByLabel('Business').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('tenant');
    await page.keyboard.type('demo-clinic');
    await page.keyboard.press('Tab');
    await page.keyboard.type('owner@demo.example');
    await page.keyboard.press('Tab');
    await page.keyboard.type(ownerPassword);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Console' }).waitFor();
    // Tab from the top: skip link, then the header's buttons, then the navigation.
    const reached: string[] = [];
    for (let i = 0; i < 7; i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText ?? ''));
    }
    expect(reached).toEqual(['Skip to content', 'Sign out', 'Sign out everywhere', 'Bookings', 'Conversations', 'Messages', 'Audit']);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
    // The heading takes focus on navigation, with a visible focus ring for keyboard users.
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => ({ text: (document.activeElement as HTMLElement).innerText, style: getComputedStyle(document.activeElement!).outlineStyle }));
    expect(outline).toEqual({ text: 'Verify chain', style: 'solid' });
    await page.keyboard.press('Enter');
    // The chain was tampered with in the audit test above: the answer names the broken row.
    await page.getByText(/The chain is broken at entry #2/).waitFor();
    await context.close();
  });
});
