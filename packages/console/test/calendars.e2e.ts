// Issue 18 in the console, in Chromium: an owner sees each resource's calendar, starts a Google
// connection (the browser goes to Google's consent with PKCE and a state), comes back connected,
// and disconnects. The fake Google speaks its OAuth API; the provider's callback itself (a route of
// the hosted app) is covered in apps/api's console-calendars test, so here the test finishes the
// flow as that route does, with the state bound to this browser's session.
import { randomBytes } from 'node:crypto';
import { finishGoogleConnect, type GoogleCalendarOptions } from '@gomomo/channels';
import { parseEncryptionKeys } from '@gomomo/core';
import { calendarBindingOf } from '@gomomo/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../../channels/test/fakes/fake-google.js';
import { adminSecret, startApi, type TestApi } from './support/api.js';
import { launchBrowser, screenshots, seriousViolations } from './support/browser.js';

let api: TestApi;
let google: FakeGoogle;
let googleOptions: GoogleCalendarOptions;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const keyring = parseEncryptionKeys(`k1:${randomBytes(32).toString('base64')}`);
const password = 'owner password 1';

beforeAll(async () => {
  google = await startFakeGoogle();
  googleOptions = {
    clientId: google.clientId,
    clientSecret: google.clientSecret,
    redirectUri: 'http://127.0.0.1/v1/calendars/google/callback',
    endpoints: { authBaseUrl: google.authBaseUrl, tokenUrl: google.tokenUrl, apiRootUrl: google.apiRootUrl },
  };
  [api, browser] = await Promise.all([startApi({ calendars: { keyring, google: googleOptions } }), launchBrowser()]);
  const tenant = await api.onboard('calendar-clinic', []);
  const created = await fetch(`${api.origin}/trpc/console.auth.createFirstOwner`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminSecret}`, 'content-type': 'application/json', 'x-gomomo-csrf': '1' },
    body: JSON.stringify({ tenantId: tenant.tenantId, email: 'cal@demo.example', name: 'Cal Owner', password }),
  });
  expect(created.ok).toBe(true);
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await google?.close();
});

describe('calendars in the console, in Chromium', { timeout: 90_000 }, () => {
  it('connects a resource’s Google calendar through consent, shows it connected, and disconnects it', async () => {
    await page.goto(`${api.origin}/console`);
    await page.getByLabel('Business').fill('calendar-clinic');
    await page.getByLabel('Email').fill('cal@demo.example');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Calendars' }).click();
    await page.getByRole('heading', { level: 1, name: 'Calendars' }).waitFor();
    const ana = page.getByRole('region', { name: 'Dr. Ana' });
    await ana.getByText('Not connected').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // Connect goes to Google's consent (here the fake's), with PKCE and a state.
    let consentUrl = '';
    await page.route(`${google.authBaseUrl}**`, async (route) => {
      consentUrl = route.request().url();
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Consent</title><p>Allow access?</p>' });
    });
    await ana.getByRole('button', { name: 'Connect Google Calendar for Dr. Ana' }).click();
    await page.waitForURL(`${google.authBaseUrl}**`);
    const params = new URL(consentUrl).searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('access_type')).toBe('offline');

    // The callback, as the hosted app's route runs it for the browser holding this session.
    const session = (await context.cookies(api.origin)).find((c) => c.name === 'gomomo_staff')!;
    await finishGoogleConnect({ pool: api.db.pool, clock: api.clock, google: googleOptions, keyring }, { ...google.consent(consentUrl), boundTo: calendarBindingOf(session.value) });
    await page.goto(`${api.origin}/console#/calendars/connected/google`);
    await page.getByRole('status').getByText('Google Calendar connected.').waitFor();
    await ana.getByText(/^Connected \(primary\)/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'calendars');

    await ana.getByRole('button', { name: 'Disconnect Google Calendar for Dr. Ana' }).click();
    await page.getByRole('status').getByText('Google Calendar for Dr. Ana disconnected.').waitFor();
    await ana.getByText('Not connected').waitFor();
    expect(google.revokedTokens).toHaveLength(1);
  });
});
