// Time to the first streamed words: from the visitor's click on Send to the first words of the
// reply on screen, with a model that writes a piece every `paceMs` (the OpenAI brain against a
// local streaming fake, the real server and push stream, in Chromium). Also the time to the whole
// reply, which is what the visitor waited for before replies streamed.
import { createOpenAIBrain } from '@gomomo/agent';
import { openScratchDatabase } from '@gomomo/core/testing';
import type { Browser } from 'playwright-core';
import { startApi } from '../test/support/api.js';
import { hostPage, startHostSite } from '../test/support/host.js';
import { startStreamingOpenAI } from '../test/support/openai-stream.js';

const paceMs = 40;
const reply = 'We are open Monday to Friday from nine to five. Parking is free behind the building. Would you like to book a visit?';

function paced(text: string): Array<string | number> {
  return (text.match(/\S+\s*/g) ?? []).flatMap((word) => [paceMs, word]);
}

export async function measureFirstWords(options: { browser: Browser; widgetFile: string; runs: number }): Promise<{ firstWords: number[]; wholeReply: number[] }> {
  const scratch = await openScratchDatabase({ label: 'widget' });
  const model = await startStreamingOpenAI();
  const brain = createOpenAIBrain({ apiKey: 'bench-key', baseURL: model.url, model: 'gpt-bench', maxRetries: 0 });
  const api = await startApi({ widgetFile: options.widgetFile, brain, database: { pool: scratch.pool, url: scratch.url, name: 'bench', drop: scratch.close } });
  const site = await startHostSite();
  const firstWords: number[] = [];
  const wholeReply: number[] = [];
  try {
    const { publishableKey } = await api.onboard('bench-dental', [site.origin]);
    const page = await options.browser.newPage();
    await page.goto(site.page('/', hostPage({ scriptUrl: `${api.origin}/widget.js`, apiKey: publishableKey, attributes: { open: 'true' } })));
    const input = page.locator('[data-gomomo]').getByRole('textbox', { name: 'Your message' });
    const replies = page.locator('[data-gomomo] .b.a:not(.st)');
    model.play(['Hello! How can I help?']);
    await input.fill('hi');
    await input.press('Enter');
    await replies.nth(1).waitFor();
    while (api.app.gomomo.hub.subscriberCount === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    for (let run = 0; run < options.runs; run += 1) {
      model.play(paced(reply));
      const before = await replies.count();
      // In the page: the clock starts on the Enter that sends, and stops on the first streamed words
      // and on the finished reply (mutation observers: microtasks, not frames).
      await page.evaluate((count) => {
        const root = document.querySelector('[data-gomomo]')!.shadowRoot!;
        const w = window as unknown as { t0?: number; t1?: number; t2?: number };
        w.t0 = w.t1 = w.t2 = undefined;
        root.addEventListener('keydown', () => (w.t0 = performance.now()), { capture: true, once: true });
        new MutationObserver((_, observer) => {
          if (w.t1 === undefined && root.querySelector('.st')) w.t1 = performance.now();
          if (root.querySelectorAll('.b.a:not(.st)').length > count) {
            w.t2 = performance.now();
            observer.disconnect();
          }
        }).observe(root, { childList: true, subtree: true, characterData: true });
      }, before);
      await input.fill('When are you open?');
      await input.press('Enter');
      await replies.nth(before).waitFor({ timeout: 20_000 });
      const { t0, t1, t2 } = await page.evaluate(() => {
        const w = window as unknown as { t0: number; t1: number; t2: number };
        return { t0: w.t0, t1: w.t1, t2: w.t2 };
      });
      firstWords.push(t1 - t0);
      wholeReply.push(t2 - t0);
    }
    await page.close();
  } finally {
    await site.close();
    await api.close();
    await model.close();
  }
  return { firstWords, wholeReply };
}
