// `pnpm bench:console`: the console's gzip sizes, and how long staff wait from navigation to
// today's grid showing 200 bookings, measured in Chromium. Prints ONE JSON object.
// The page talks to a static stand-in for the two calls it makes (`console.auth.me`,
// `console.bookings.grid`), so the figure is the console's own work: load, parse, fetch, render.
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { buildConsole } from '../scripts/bundle.js';
import { gzipKb } from '../scripts/sizes.js';

const runs = 7;
const bookingCount = 200;
const outdir = await mkdtemp(path.join(tmpdir(), 'gomomo-console-bench-'));
await buildConsole({ outdir });
const files: Record<string, { type: string; body: Buffer }> = {
  '/console': { type: 'text/html', body: await readFile(path.join(outdir, 'index.html')) },
  '/console/console.js': { type: 'text/javascript', body: await readFile(path.join(outdir, 'console.js')) },
  '/console/console.css': { type: 'text/css', body: await readFile(path.join(outdir, 'console.css')) },
};

const timeZone = 'America/New_York';
const resources = Array.from({ length: 14 }, (_, i) => ({ id: `r${i}`, name: `Chair ${i + 1}` }));
// 200 half-hour bookings over 14 resources, 09:00–17:00 New York on Tuesday 1 December 2026.
const bookings = Array.from({ length: bookingCount }, (_, i) => {
  const resource = resources[i % resources.length]!;
  const start = new Date(Date.UTC(2026, 11, 1, 14, 0) + Math.floor(i / resources.length) * 30 * 60_000);
  return {
    reference: `GM-${String(10000 + i)}`,
    start: start.toISOString(),
    end: new Date(start.getTime() + 30 * 60_000).toISOString(),
    status: i % 10 === 0 ? 'cancelled' : 'booked',
    serviceId: 's1',
    serviceName: 'Consultation',
    resourceId: resource.id,
    resourceName: resource.name,
    client: { name: `Client ${i}`, email: `client${i}@example.com`, phone: null },
    notes: '',
    channel: i % 3 === 0 ? 'sms' : 'chat',
  };
});
const answers: Record<string, unknown> = {
  'console.auth.me': { staffId: 'st1', role: 'owner', email: 'owner@example.com', name: 'Owner', csrfToken: 'x', tenant: { id: 't1', slug: 'bench', name: 'Bench Clinic', timeZone } },
  'console.bookings.grid': { from: '2026-12-01', days: 1, timeZone, today: '2026-12-01', resources, services: [{ id: 's1', name: 'Consultation', durationMinutes: 30, resourceIds: resources.map((r) => r.id) }], bookings },
};

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://bench');
  const procedure = url.pathname.startsWith('/trpc/') ? url.pathname.slice(6) : null;
  if (procedure && procedure in answers) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ result: { data: answers[procedure] } }));
    return;
  }
  const file = files[url.pathname];
  response.writeHead(file ? 200 : 404, { 'content-type': file?.type ?? 'text/plain', 'cache-control': 'no-store' });
  response.end(file?.body ?? 'not found');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const timings: number[] = [];
for (let run = 0; run < runs; run++) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${origin}/console#/bookings`);
  // performance.now() counts from navigation start; polled per animation frame, so the figure is
  // when the 200th booking was on screen, not when a timer happened to look.
  // A string, not a function: tsx's transform would wrap a named function in a helper the page lacks.
  const ms = await page.evaluate<number>(
    `new Promise((resolve) => { const check = () => (document.querySelectorAll('.booking').length >= ${bookingCount} ? resolve(performance.now()) : requestAnimationFrame(check)); check(); })`,
  );
  timings.push(ms);
  await page.close();
}
await browser.close();
server.close();
timings.sort((x, y) => x - y);
console.log(
  JSON.stringify({
    bench: 'console',
    scriptGzipKb: gzipKb(files['/console/console.js']!.body),
    styleGzipKb: gzipKb(files['/console/console.css']!.body),
    bookings: bookingCount,
    firstRenderMedianMs: Math.round(timings[Math.floor(runs / 2)]!),
    firstRenderMaxMs: Math.round(timings[runs - 1]!),
    runs,
  }),
);
