// Issue 17, item 8, for the inbox (items 3 and 4) in Chromium: a staff member runs a hand-off with
// the keyboard only — conversations list → open → take over → reply → hand back → back to the list
// — with Tab, Enter and Escape, focus always visible where the work continues; axe-core finds no
// serious violation on the way. The customer side is the API the widget calls.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSecret, startApi, type TestApi } from './support/api.js';
import { launchBrowser, seriousViolations } from './support/browser.js';

let api: TestApi;
let browser: Browser;
let tenant: { tenantId: string; publishableKey: string; secretKey: string };
let page: Page;
const siteOrigin = 'https://keyboard-clinic.example';
const password = 'owner password 1';

async function post<T>(path: string, input: unknown, headers: Record<string, string>): Promise<T> {
  const response = await fetch(`${api.origin}/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(input) });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { result: { data: T } }).result.data;
}

/** What the focused element is, and whether its focus ring shows (WCAG 2.4.7). */
function focused(): Promise<{ tag: string; text: string; id: string; outline: string }> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return { tag: element?.tagName ?? '', text: (element?.innerText ?? '').trim(), id: element?.id ?? '', outline: element ? getComputedStyle(element).outlineStyle : '' };
  });
}

async function press(key: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) await page.keyboard.press(key);
}

/** Tabs forward until the focused element's text matches (at most `limit` stops), as a keyboard user scans. */
async function tabTo(text: RegExp, limit = 15): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await press('Tab');
    if (text.test((await focused()).text)) return;
  }
  throw new Error(`Tab never reached ${text}`);
}

beforeAll(async () => {
  [api, browser] = await Promise.all([startApi(), launchBrowser()]);
  tenant = await api.onboard('keyboard-clinic', [siteOrigin]);
  await post('console.auth.createFirstOwner', { tenantId: tenant.tenantId, email: 'kim@demo.example', name: 'Kim Owner', password }, { authorization: `Bearer ${adminSecret}`, 'x-gomomo-csrf': '1' });
  // A customer asks the widget for a person (the widget's own call).
  await post('chat.send', { text: 'I want to talk to a human please' }, { authorization: `Bearer ${tenant.publishableKey}`, origin: siteOrigin });
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true })).newPage();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

describe('the inbox with the keyboard only', { timeout: 120_000 }, () => {
  it('list → open → take over → reply → hand back → back to the list, with Tab, Enter and Escape', async () => {
    await page.goto(`${api.origin}/console#/inbox`);
    await page.getByLabel('Business').waitFor();
    await press('Tab');
    await page.keyboard.type('keyboard-clinic');
    await press('Tab');
    await page.keyboard.type('kim@demo.example');
    await press('Tab');
    await page.keyboard.type(password);
    await press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Conversations' }).waitFor();
    await page.getByText('1 conversation waiting for a person.').waitFor();

    // The list: Tab reaches the conversation's link, with a visible focus ring; Enter opens it.
    await tabTo(/Anonymous visitor/);
    expect(await focused()).toMatchObject({ tag: 'A', outline: 'solid' });
    expect(await seriousViolations(page)).toEqual([]);
    await press('Enter');
    await page.getByRole('button', { name: 'Take over' }).waitFor();
    // Focus moved to the conversation's heading, not back to the top of the page.
    expect(await focused()).toMatchObject({ id: 'conversation-title' });

    await tabTo(/^Take over$/);
    expect((await focused()).outline).toBe('solid');
    await press('Enter');
    // Taken over: focus lands in the reply box.
    await page.getByLabel(/Reply to the customer/).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'staff-reply');
    expect((await focused()).outline).toBe('solid');
    expect(await seriousViolations(page)).toEqual([]);

    await page.keyboard.type('Hi, this is Kim from the clinic. How can I help?');
    await tabTo(/^Send reply$/);
    expect((await focused()).outline).toBe('solid');
    await press('Enter');
    await page.locator('.msg-staff', { hasText: 'this is Kim' }).waitFor();
    // Ready for the next reply: focus is back in the (emptied) reply box.
    await page.waitForFunction(() => document.activeElement?.id === 'staff-reply' && (document.activeElement as HTMLTextAreaElement).value === '');

    await press('Shift+Tab');
    expect(await focused()).toMatchObject({ text: 'Hand back to the receptionist', outline: 'solid' });
    await press('Enter');
    // Handed back: the badge says so and focus lands on "Take over", where the work would continue.
    await page.getByRole('heading', { level: 2, name: /Receptionist/ }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'take-over');
    expect((await focused()).outline).toBe('solid');

    // Escape returns to the list, focus on the conversation just left.
    await press('Escape');
    await page.getByText('Nobody is waiting for a person.').waitFor();
    await page.waitForFunction(() => document.activeElement?.hasAttribute('data-session') === true);
    expect(await focused()).toMatchObject({ tag: 'A', outline: 'solid' });
    expect(await seriousViolations(page)).toEqual([]);

    const { rows } = await api.db.pool.query<{ action: string }>(`SELECT action FROM audit_log WHERE tenant_id = $1 AND actor = 'staff' AND action LIKE 'conversation.%' ORDER BY seq`, [tenant.tenantId]);
    expect(rows.map((r) => r.action)).toEqual(['conversation.take_over', 'conversation.staff_reply', 'conversation.hand_back']);
  });
});
