// ICS feeds in the console, in Chromium (issue 18 item 4 from the Calendars page): an owner creates
// a resource's feed address (shown once with a copy button, then "active since"), the address
// serves the resource's bookings as ICS, an outside ICS address (a local ICS server, reached through
// the loopback development flag) blocks its busy time in the slot preview, and revoking the feed
// address makes it answer 404. Also: 'Sign out of remembered devices' from a booking (issue 20 item 2).
import { randomBytes } from 'node:crypto';
import { expandIcsBusy } from '@gomomo/channels';
import { parseEncryptionKeys } from '@gomomo/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeIcsServer, type FakeIcsServer } from '../../channels/test/fakes/fake-ics-server.js';
import { adminSecret, startApi, type TestApi } from './support/api.js';
import { launchBrowser, screenshots, seriousViolations } from './support/browser.js';

let api: TestApi;
let icsServer: FakeIcsServer;
let browser: Browser;
let page: Page;
let tenant: { tenantId: string; secretKey: string };
const keyring = parseEncryptionKeys(`k1:${randomBytes(32).toString('base64')}`);
const password = 'owner password 1';

/** Busy 10:00–11:00 in New York on Wednesday 2 December 2026 (a dentist's lunch with her accountant). */
const privateEvent = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', 'UID:private-1@test', 'DTSTAMP:20261101T000000Z', 'DTSTART:20261202T150000Z', 'DTEND:20261202T160000Z', 'SUMMARY:Private', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

beforeAll(async () => {
  icsServer = await startFakeIcsServer();
  icsServer.routes.set('/private.ics', { ics: privateEvent });
  [api, browser] = await Promise.all([startApi({ ics: { keyring, allowLoopback: true } }), launchBrowser()]);
  tenant = await api.onboard('ics-clinic', []);
  const created = await fetch(`${api.origin}/trpc/console.auth.createFirstOwner`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminSecret}`, 'content-type': 'application/json', 'x-gomomo-csrf': '1' },
    body: JSON.stringify({ tenantId: tenant.tenantId, email: 'ics@demo.example', name: 'Ida Owner', password }),
  });
  expect(created.ok).toBe(true);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true, permissions: ['clipboard-read', 'clipboard-write'] });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await icsServer?.close();
});

/** A booking for Dr. Ana on Wednesday at 14:00 New York, made through the API. */
async function bookAna(): Promise<string> {
  const call = async <T,>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${api.origin}/trpc/${path}`, { method: 'POST', headers: { authorization: `Bearer ${tenant.secretKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await response.json()) as { result?: { data: T } };
    if (!json.result) throw new Error(`${path}: ${JSON.stringify(json)}`);
    return json.result.data;
  };
  const services = (await (await fetch(`${api.origin}/trpc/services.list`, { headers: { authorization: `Bearer ${tenant.secretKey}` } })).json()) as { result: { data: { id: string; resourceIds: string[] }[] } };
  const service = services.result.data[0]!;
  const hold = await call<{ id: string }>('bookings.hold', { serviceId: service.id, start: '2026-12-02T19:00:00Z', resourceId: service.resourceIds[0], sessionId: 'ics-e2e-booking' });
  return (await call<{ reference: string }>('bookings.confirm', { holdId: hold.id, sessionId: 'ics-e2e-booking', client: { name: 'Ana Customer', email: 'ana@example.com' } })).reference;
}

async function previewTimes(): Promise<string[]> {
  return page.getByTestId('slot-preview').locator('li').allInnerTexts();
}

describe('ICS feeds in the console, in Chromium', { timeout: 120_000 }, () => {
  it('creates a feed address that serves the bookings as ICS, blocks an outside calendar’s busy time, and revokes the address', async () => {
    const reference = await bookAna();
    await page.goto(`${api.origin}/console`);
    await page.getByLabel('Business').fill('ics-clinic');
    await page.getByLabel('Email').fill('ics@demo.example');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // The slot preview before: Wednesday 10:00 is open.
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByTestId('slot-preview').getByText(/^\d+ open slots on 2026-12-02/).waitFor();
    expect(await previewTimes()).toContain('10:00');

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Calendars' }).click();
    await page.getByRole('heading', { level: 1, name: 'Calendars' }).waitFor();
    const ana = page.getByRole('region', { name: 'ICS feeds for Dr. Ana' });
    await ana.getByText('No feed address').waitFor();

    // Create: the address is shown once, with a copy button.
    await ana.getByRole('button', { name: 'Create feed address for Dr. Ana' }).click();
    const address = ana.getByLabel('Feed address for Dr. Ana (shown only now)');
    await address.waitFor();
    const feedUrl = await address.inputValue();
    expect(feedUrl).toMatch(/\/v1\/ics\/ics_[A-Za-z0-9_-]{43}\.ics$/);
    await ana.getByRole('button', { name: 'Copy the feed address for Dr. Ana' }).click();
    await ana.getByRole('status').getByText(/^Cop/).waitFor();
    await ana.getByText(/^Active since /).waitFor();

    // The feed parses as ICS and holds the booking.
    const feed = await fetch(feedUrl);
    expect(feed.status).toBe(200);
    const ics = await feed.text();
    expect(ics).toContain(reference);
    const events = expandIcsBusy(ics, { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-31T00:00:00Z'), zone: 'America/New_York' });
    expect(events.map((e) => new Date(e.start).toISOString())).toEqual(['2026-12-02T19:00:00.000Z']);

    // An outside calendar for both doctors: its busy time leaves 10:00 free on neither.
    for (const doctor of ['Dr. Ana', 'Dr. Ben']) {
      const region = page.getByRole('region', { name: `ICS feeds for ${doctor}` });
      await region.getByLabel(`Outside calendar address (ICS) for ${doctor}`).fill('http://169.254.169.254/latest.ics');
      await region.getByRole('button', { name: 'Add', exact: true }).click();
      await region.locator('.error').first().waitFor();
      await region.getByLabel(`Outside calendar address (ICS) for ${doctor}`).fill(`${icsServer.url}/private.ics?key=s3cr3t`);
      await region.getByRole('button', { name: 'Add', exact: true }).click();
      const host = new URL(icsServer.url).host;
      await region.getByText('Not fetched yet').waitFor();
      await region.getByRole('button', { name: `Fetch now: ${host} for ${doctor}` }).click();
      await region.getByText(/^Busy time read /).waitFor();
    }
    expect(await page.content()).not.toContain('s3cr3t');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'calendars-ics');

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByTestId('slot-preview').getByText(/^\d+ open slots on 2026-12-02/).waitFor();
    const times = await previewTimes();
    expect(times).not.toContain('10:00');
    expect(times).not.toContain('10:30');
    expect(times).toContain('11:00');

    // Revoke: the address answers 404 from now on.
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Calendars' }).click();
    await ana.getByRole('button', { name: 'Revoke the feed address for Dr. Ana' }).click();
    await ana.getByText('No feed address').waitFor();
    expect((await fetch(feedUrl)).status).toBe(404);
  });

  it('signs a booking’s customer out of remembered devices from the bookings grid', async () => {
    const { rows } = await api.db.pool.query<{ reference: string }>('SELECT reference FROM appointments WHERE tenant_id = $1', [tenant.tenantId]);
    const reference = rows[0]!.reference;
    await page.goto(`${api.origin}/console#/bookings/day/2026-12-02`);
    const card = page.locator('.booking', { hasText: reference });
    await card.getByRole('button', { name: `Sign out of remembered devices: Ana Customer (${reference})` }).click();
    await card.getByRole('status').getByText('No remembered device to sign out.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    const audited = await api.db.pool.query<{ subject_id: string }>(`SELECT subject_id FROM audit_log WHERE tenant_id = $1 AND action = 'customer.forget_devices'`, [tenant.tenantId]);
    expect(audited.rows.map((r) => r.subject_id)).toEqual([reference]);
  });
});
