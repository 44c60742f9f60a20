import { createOpenAIBrain } from '@gomomo/agent';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from './support/api.js';
import { lastReply, launchBrowser, openPanel, say, widget } from './support/browser.js';
import { buildTestBundle } from './support/bundle.js';
import { hostPage, startHostSite, type HostSite } from './support/host.js';
import { startStreamingOpenAI, type StreamingOpenAI } from './support/openai-stream.js';

let api: TestApi;
let site: HostSite;
let browser: Browser;
let model: StreamingOpenAI;
let publishableKey: string;

beforeAll(async () => {
  model = await startStreamingOpenAI();
  const widgetFile = await buildTestBundle();
  const brain = createOpenAIBrain({ apiKey: 'test-key', baseURL: model.url, model: 'gpt-test', maxRetries: 0 });
  [api, site, browser] = await Promise.all([startApi({ widgetFile, brain }), startHostSite(), launchBrowser()]);
  ({ publishableKey } = await api.onboard('stream-dental', [site.origin]));
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await api?.close();
  await model?.close();
});

describe('a streamed reply in the widget', () => {
  it('grows as the model writes, and shows a sentence claiming a booking only after the check', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(site.page('/stream', hostPage({ scriptUrl: `${api.origin}/widget.js`, apiKey: publishableKey })));
    await openPanel(page);
    // The first message starts the conversation; its reply comes whole with the response.
    model.play(['Hello! ', 'How can I help?']);
    await say(page, 'hi');
    expect(await lastReply(page)).toBe('Hello! How can I help?');
    // The session's push stream is what carries the pieces: wait until it is subscribed.
    await expect.poll(() => api.app.gomomo.hub.subscriberCount, { timeout: 10_000 }).toBeGreaterThan(0);

    let finish!: () => void;
    const paused = new Promise<void>((resolve) => (finish = resolve));
    model.play(['Let me see. ', "You're booked ", 'for Tuesday at 10! ', 'Anything ', 'else?', paused]);
    await widget(page).getByRole('textbox', { name: 'Your message' }).fill('Book me Tuesday at 10');
    await widget(page).getByRole('button', { name: 'Send' }).click();
    const live = widget(page).locator('.b.a.st');
    await live.waitFor();
    // The model has written the whole reply and is paused: only the sentence before the claim shows.
    expect(await live.innerText()).toBe('Let me see.');
    finish();
    await live.waitFor({ state: 'detached' });
    expect(await lastReply(page)).toBe('Let me see. Anything else? To be clear: nothing has been booked yet.');
    await page.close();
  });
});
