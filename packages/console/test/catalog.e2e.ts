// Issue 17 item 7 in Chromium: an owner creates a service, maps it to a resource with its own
// hours, sees it in that resource's slot preview and books it from the bookings grid; a bad value
// shows the server's error next to its field; quiet hours are saved. axe-core finds no serious
// violation on the new pages, and each is photographed at 1280 and 320 px.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSecret, startApi, type TestApi } from './support/api.js';
import { launchBrowser, screenshots, seriousViolations } from './support/browser.js';

let api: TestApi;
let browser: Browser;
let tenant: { tenantId: string };
let owner: Page;
const password = 'owner password 1';

beforeAll(async () => {
  [api, browser] = await Promise.all([startApi(), launchBrowser()]);
  tenant = await api.onboard('catalog-clinic', []);
  const response = await fetch(`${api.origin}/trpc/console.auth.createFirstOwner`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminSecret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId: tenant.tenantId, email: 'olivia@demo.example', name: 'Olivia Owner', password }),
  });
  if (!response.ok) throw new Error(`createFirstOwner: ${response.status} ${await response.text()}`);
  // bypassCSP only lets the test inject axe-core; the console runs under its own CSP.
  owner = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true })).newPage();
  await owner.goto(`${api.origin}/console`);
  await owner.getByLabel('Business').fill('catalog-clinic');
  await owner.getByLabel('Email').fill('olivia@demo.example');
  await owner.getByLabel('Password').fill(password);
  await owner.getByRole('button', { name: 'Sign in' }).click();
  await owner.getByRole('navigation', { name: 'Console' }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

async function open(path: string, heading: string): Promise<void> {
  await owner.goto(`${api.origin}/console#/${path}`);
  await owner.getByRole('heading', { level: 1, name: heading }).waitFor();
}

describe('services and resources in the console, in Chromium', { timeout: 90_000 }, () => {
  it('shows the server’s error next to the field, then creates a service for Dr. Ben', async () => {
    await open('services', 'Services');
    const form = owner.getByRole('form', { name: 'New service' });
    await form.getByLabel('Name').fill('Massage');
    await form.getByLabel('Duration (minutes)').fill('2');
    await form.getByLabel('Buffer after (minutes)').fill('15');
    await form.getByLabel('Dr. Ben').check();
    await form.getByRole('button', { name: 'Create service' }).click();
    const error = form.getByText('must be at least 5 minutes');
    await error.waitFor();
    // The message is tied to its input for screen readers (WCAG 3.3.1).
    const duration = form.getByLabel('Duration (minutes)');
    expect(await duration.getAttribute('aria-invalid')).toBe('true');
    expect(await duration.getAttribute('aria-describedby')).toBe(await error.getAttribute('id'));
    expect(await seriousViolations(owner)).toEqual([]);
    await duration.fill('60');
    await form.getByRole('button', { name: 'Create service' }).click();
    await owner.getByRole('status').getByText('Created Massage.').waitFor();
    await owner.locator('summary', { hasText: 'Massage · 60 min' }).click();
    expect(await owner.getByRole('form', { name: 'Edit Massage' }).getByLabel('Buffer after (minutes)').inputValue()).toBe('15');
    expect(await seriousViolations(owner)).toEqual([]);
    await screenshots(owner, 'settings-services');
    const { rows } = await api.db.pool.query<{ details: { service: string } }>(`SELECT details FROM audit_log WHERE tenant_id = $1 AND action = 'settings.service_create'`, [tenant.tenantId]);
    expect(rows.map((r) => r.details.service)).toEqual(['Massage']);
  });

  it('maps the service to Dr. Ana, gives her own hours, and her slot preview follows', async () => {
    await open('resources', 'Staff & rooms');
    await owner.locator('summary', { hasText: 'Dr. Ana' }).click();
    const services = owner.getByRole('form', { name: 'Services Dr. Ana can do' });
    await services.getByLabel('Massage').check();
    await services.getByRole('button', { name: 'Save services' }).click();
    const preview = owner.getByRole('region', { name: 'Slot preview of Dr. Ana' });
    await preview.getByLabel('Service').selectOption({ label: 'Massage' });
    const slots = owner.getByTestId('slots-Dr. Ana');
    // The business's Wednesday, 09:00–17:00: the last hour-long start is 16:00 (the 30-minute consultation's is 16:30).
    await owner.waitForFunction(() => document.querySelector('[data-testid="slots-Dr. Ana"] li:last-child')?.textContent === '16:00');
    await slots.getByText(/^\d+ open slots on 2026-12-02/).waitFor();

    const hours = owner.getByRole('form', { name: 'Hours of Dr. Ana' });
    await hours.getByRole('button', { name: 'Add interval' }).click();
    await hours.getByLabel('Day').selectOption({ label: 'Wednesday' });
    await hours.getByLabel('Closes').fill('08:00');
    await hours.getByRole('button', { name: 'Save hours' }).click();
    await hours.getByText('closes must be after opens').waitFor();
    await hours.getByLabel('Closes').fill('11:00');
    await hours.getByRole('button', { name: 'Save hours' }).click();
    await owner.waitForFunction(() => document.querySelector('[data-testid="slots-Dr. Ana"] li:last-child')?.textContent === '10:00');
    expect(await slots.locator('li').allInnerTexts()).toEqual(['09:00', '09:15', '09:30', '09:45', '10:00']);
    expect(await seriousViolations(owner)).toEqual([]);
    await screenshots(owner, 'settings-resources');
  });

  it("gives Dr. Ana a day off: her slot preview empties for the day, and taking it back brings her slots back", async () => {
    const days = owner.getByRole('form', { name: 'Days off of Dr. Ana' });
    const slots = owner.getByTestId('slots-Dr. Ana');
    await days.getByRole('button', { name: 'Add date' }).click();
    await days.getByLabel('Date', { exact: true }).fill('2026-12-02');
    await days.getByLabel('Opens').fill('10:00');
    await days.getByRole('button', { name: 'Save dates' }).click();
    await days.locator('.error').first().waitFor();
    expect(await days.getByLabel('Closes').getAttribute('aria-invalid')).toBe('true');
    await days.getByLabel('Opens').fill('');
    await days.getByLabel('Reason').fill('day off');
    await days.getByRole('button', { name: 'Save dates' }).click();
    await slots.getByText('No open slots on 2026-12-02.').waitFor();
    expect(await seriousViolations(owner)).toEqual([]);
    await days.getByRole('button', { name: 'Remove date 1 of Dr. Ana' }).click();
    await days.getByRole('button', { name: 'Save dates' }).click();
    await slots.getByText(/^\d+ open slots on 2026-12-02/).waitFor();
  });

  it('offers the new service in the bookings grid’s create form, and books it', async () => {
    await open('bookings/day/2026-12-02', 'Bookings');
    await owner.getByRole('button', { name: 'New booking' }).click();
    const form = owner.getByRole('form', { name: 'New booking for a caller' });
    await form.getByLabel('Service').selectOption({ label: 'Massage' });
    await form.getByLabel('Time').waitFor();
    await form.getByLabel("Caller's name").fill('Cara Caller');
    await form.getByLabel('Email').fill('cara@example.com');
    await form.getByRole('button', { name: 'Book' }).click();
    const card = owner.locator('.booking', { hasText: 'Cara Caller' });
    await card.waitFor();
    expect(await card.innerText()).toContain('Massage');
  });

  it('opens and edits a service with the keyboard only, with a visible focus ring', async () => {
    await open('services', 'Services');
    await owner.waitForFunction(() => document.activeElement?.tagName === 'H1');
    // A keyboard user waits for the list too: Tab before it loads would wrap to the skip link.
    await owner.locator('summary', { hasText: 'Consultation' }).waitFor();
    await owner.keyboard.press('Tab');
    const focused = () => owner.evaluate(() => ({ tag: document.activeElement!.tagName, text: (document.activeElement as HTMLElement).innerText, outline: getComputedStyle(document.activeElement!).outlineStyle }));
    expect(await focused()).toEqual({ tag: 'SUMMARY', text: 'Consultation · 30 min · by anyone', outline: 'solid' });
    await owner.keyboard.press('Enter');
    await owner.keyboard.press('Tab');
    expect(await owner.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('Consultation');
    await owner.keyboard.press('Tab');
    await owner.keyboard.press('Control+A');
    await owner.keyboard.type('45');
    // Submit from the field with Enter, as a keyboard user does.
    await owner.keyboard.press('Enter');
    await owner.locator('summary', { hasText: 'Consultation · 45 min' }).waitFor();
  });

  it('lets a staff-role member read services and resources, with every change control disabled', async () => {
    // The owner invites Sam through the API with the owner's own session (cookie and CSRF token).
    const request = owner.context().request;
    const me = (await (await request.get(`${api.origin}/trpc/console.auth.me`)).json()) as { result: { data: { csrfToken: string } } };
    const invited = await request.post(`${api.origin}/trpc/console.auth.invite`, { headers: { 'x-gomomo-csrf': me.result.data.csrfToken }, data: { email: 'sam@demo.example', role: 'staff' } });
    expect(invited.status()).toBe(200);
    const { rows } = await api.db.pool.query<{ body: string }>(`SELECT body FROM notification_outbox WHERE tenant_id = $1 AND template = 'staff_invite'`, [tenant.tenantId]);
    const token = /#\/accept\/([\w-]+)/.exec(rows[0]!.body)![1]!;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const staff = await context.newPage();
    await staff.goto(`${api.origin}/console#/accept/${token}`);
    await staff.getByLabel('Your name').fill('Sam Staff');
    await staff.getByLabel('Choose a password').fill('sam password 1');
    await staff.getByRole('button', { name: 'Set password and sign in' }).click();
    await staff.getByText('Sam Staff (staff)').waitFor();
    await staff.goto(`${api.origin}/console#/resources`);
    await staff.getByRole('heading', { level: 1, name: 'Staff & rooms' }).waitFor();
    await staff.locator('summary', { hasText: 'Dr. Ana' }).click();
    await staff.getByText('Only an owner can change these.').first().waitFor();
    expect(await staff.getByRole('form', { name: 'Services Dr. Ana can do' }).getByLabel('Massage').isDisabled()).toBe(true);
    expect(await staff.getByRole('button', { name: 'Save hours' }).isDisabled()).toBe(true);
    expect(await staff.getByRole('form', { name: 'New staff member or room' }).count()).toBe(0);
    // The preview is for reading: it stays usable.
    expect(await staff.getByRole('region', { name: 'Slot preview of Dr. Ana' }).getByLabel('Service').isDisabled()).toBe(false);
    expect(await seriousViolations(staff)).toEqual([]);
    await staff.goto(`${api.origin}/console#/services`);
    await staff.getByRole('heading', { level: 1, name: 'Services' }).waitFor();
    expect(await staff.getByRole('form', { name: 'New service' }).count()).toBe(0);
    await context.close();
  });

  it('saves quiet hours, refusing a window that starts and ends at the same time', async () => {
    await open('settings', 'Settings');
    const form = owner.getByRole('form', { name: 'Quiet hours' });
    await form.getByLabel('Send from').fill('09:00');
    await form.getByLabel('Send until').fill('09:00');
    await form.getByRole('button', { name: 'Save quiet hours' }).click();
    await form.getByText('sendFrom and sendUntil must differ').waitFor();
    expect(await form.getByLabel('Send until').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Send until').fill('20:00');
    await form.getByRole('button', { name: 'Save quiet hours' }).click();
    await form.getByRole('status').getByText('Quiet hours saved.').waitFor();
    const { rows } = await api.db.pool.query<{ settings: { sms?: { quietHours?: unknown } } }>('SELECT settings FROM tenants WHERE id = $1', [tenant.tenantId]);
    expect(rows[0]!.settings.sms?.quietHours).toEqual({ sendFrom: '09:00', sendUntil: '20:00' });
    expect(await seriousViolations(owner)).toEqual([]);
    await screenshots(owner, 'settings-quiet-hours');
  });
});
