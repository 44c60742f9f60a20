import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from './support/api.js';
import { lastReply, launchBrowser, openPanel, widget } from './support/browser.js';
import { buildTestBundle } from './support/bundle.js';
import { hostPage, startHostSite, type HostSite } from './support/host.js';

let api: TestApi;
let site: HostSite;
let browser: Browser;
/** The publishable keys of a business that turned speech on in its settings, and of one that did not. */
const keys = { on: '', off: '' };

beforeAll(async () => {
  const widgetFile = await buildTestBundle();
  [api, site, browser] = await Promise.all([startApi({ widgetFile }), startHostSite(), launchBrowser()]);
  const on = await api.onboard('speech-dental', [site.origin]);
  await api.call('tenant.update', { settings: { widget: { speech: true } } }, on.secretKey);
  keys.on = on.publishableKey;
  keys.off = (await api.onboard('quiet-dental', [site.origin])).publishableKey;
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await api?.close();
});

// Chromium's own recognition needs a speech service; the tests take it away or put a stub in its place.
const withoutRecognition = `Object.defineProperty(window, 'SpeechRecognition', { value: undefined, configurable: true }); Object.defineProperty(window, 'webkitSpeechRecognition', { value: undefined, configurable: true });`;
const withStubs = `${withoutRecognition}
window.spoken = [];
window.SpeechRecognition = class { start() { setTimeout(() => { this.onresult({ results: [[{ transcript: 'What are your opening hours?' }]] }); this.onend && this.onend(); }, 0); } stop() {} };
Object.defineProperty(window, 'speechSynthesis', { value: { cancel() {}, speak(u) { window.spoken.push(u.text); } }, configurable: true });`;

/** Opens the widget and waits until it has read the business's settings (`widget.config`), so an absent button means something. */
async function openPage(options: { script: string; speech: 'on' | 'off'; attributes?: Record<string, string> }): Promise<Page> {
  const page = await browser.newPage();
  await page.addInitScript({ content: options.script });
  const configRead = page.waitForResponse((response) => response.url().includes('/trpc/widget.config') && response.ok());
  await page.goto(site.page(`/speech-${Math.random().toString(36).slice(2)}`, hostPage({ scriptUrl: `${api.origin}/widget.js`, apiKey: keys[options.speech], attributes: options.attributes ?? {} })));
  await configRead;
  await openPanel(page);
  return page;
}

const mic = (page: Page) => widget(page).getByRole('button', { name: 'Speak your message' });

describe('speech in the widget', () => {
  it('has no microphone button where the browser has no speech recognition, though the business turned speech on', async () => {
    const page = await openPage({ script: withoutRecognition, speech: 'on' });
    expect(await mic(page).count()).toBe(0);
    await page.close();
  });

  it('has no microphone button when the business has not turned speech on in its settings', async () => {
    const page = await openPage({ script: withStubs, speech: 'off', attributes: { speech: 'true' } });
    expect(await mic(page).count()).toBe(0);
    await page.close();
  });

  it('has no microphone button where the site vetoes speech with data-speech="off"', async () => {
    const page = await openPage({ script: withStubs, speech: 'on', attributes: { speech: 'off' } });
    expect(await mic(page).count()).toBe(0);
    await page.close();
  });

  it('shows the microphone when the business turned speech on, sends what the visitor said, and speaks the reply', async () => {
    const page = await openPage({ script: withStubs, speech: 'on' });
    await mic(page).waitFor();
    const replies = widget(page).locator('.b.a');
    const before = await replies.count();
    await mic(page).click();
    await replies.nth(before).waitFor({ timeout: 20_000 });
    expect(await widget(page).locator('.b.u').last().innerText()).toMatch(/What are your opening hours\?/);
    const reply = await lastReply(page);
    expect(reply).toMatch(/open Monday–Friday/);
    await page.waitForFunction(() => (window as unknown as { spoken: string[] }).spoken.length > 0);
    expect(await page.evaluate(() => (window as unknown as { spoken: string[] }).spoken)).toEqual([reply]);
    await page.close();
  });
});
