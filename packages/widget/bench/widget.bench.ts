// `pnpm bench:widget`: the bundle and snippet sizes, and how long a visitor waits from the
// snippet starting to a panel that takes input, measured in Chromium, and the time from Send to the
// first streamed words of a reply (bench/first-words.ts). Prints ONE JSON object.
// Opening needs no API call, so widget.js is served by a plain static server on another origin.
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { buildWidgetBundle } from '../scripts/bundle.js';
import { measureFirstWords } from './first-words.js';
import { gzipKb, snippetGzipKb } from '../scripts/sizes.js';
import { renderSnippet } from '../src/snippet/snippet.js';

const runs = 9;
const outfile = path.join(await mkdtemp(path.join(tmpdir(), 'gomomo-widget-bench-')), 'widget.js');
await buildWidgetBundle({ outfile });
const bundle = await readFile(outfile);

function listen(handler: (url: string) => { type: string; body: string | Buffer }): Promise<{ origin: string; close: () => void }> {
  const server = createServer((request, response) => {
    const { type, body } = handler(request.url ?? '/');
    response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', 'access-control-allow-origin': '*' });
    response.end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() })));
}

const cdn = await listen(() => ({ type: 'text/javascript', body: bundle }));
// The clock starts when the snippet starts; a MutationObserver (a microtask, not a frame) stops
// it the moment the panel's input exists inside the shadow root.
const probe = `<script>window.t0=performance.now();new MutationObserver(function(_,o){var h=document.querySelector('[data-gomomo]');if(!h||!h.shadowRoot)return;o.disconnect();var check=function(){if(h.shadowRoot.querySelector('input')){window.t1=performance.now();return true}};if(!check())new MutationObserver(function(_,p){if(check())p.disconnect()}).observe(h.shadowRoot,{childList:true,subtree:true})}).observe(document.documentElement,{childList:true,subtree:true})</script>`;
const snippet = renderSnippet({ scriptUrl: `${cdn.origin}/widget.js`, apiKey: 'pk_live_bench', attributes: { tenant: 'bench', open: 'true' } });
const host = await listen(() => ({ type: 'text/html', body: `<!doctype html><html><head>${probe}</head><body><h1>Clinic</h1>${snippet}</body></html>` }));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const timings: number[] = [];
for (let run = 0; run < runs; run += 1) {
  const page = await browser.newPage();
  await page.goto(host.origin.replace('127.0.0.1', 'localhost'));
  await page.waitForFunction(() => (window as unknown as { t1?: number }).t1 !== undefined, undefined, { timeout: 10_000 });
  timings.push(await page.evaluate(() => (window as unknown as { t1: number; t0: number }).t1 - (window as unknown as { t0: number }).t0));
  await page.close();
}
const streamed = await measureFirstWords({ browser, widgetFile: outfile, runs: 5 });
await browser.close();
cdn.close();
host.close();

timings.sort((a, b) => a - b);
const median = (values: number[]) => Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]! * 10) / 10;
console.log(
  JSON.stringify({
    bundle_gzip_kb: gzipKb(bundle),
    snippet_gzip_kb: snippetGzipKb(),
    time_to_open_ms: Math.round(timings[Math.floor(runs / 2)]! * 10) / 10,
    time_to_open_runs: runs,
    time_to_open_max_ms: Math.round(timings[runs - 1]! * 10) / 10,
    time_to_first_streamed_words_ms: median(streamed.firstWords),
    time_to_whole_reply_ms: median(streamed.wholeReply),
    streamed_runs: streamed.firstWords.length,
  }),
);
