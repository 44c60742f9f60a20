// pnpm bench:api — one JSON object: availability and chat throughput/p99 under 50 connections,
// against a plain fastify route in the same process as the ceiling, and idle RSS after start.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

const connections = 50;
const duration = Number(process.env.BENCH_SECONDS ?? 5);

function isoDate(daysFromNow: number): string {
  return new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'gomomo-bench-'));
  const app = await buildApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', RATE_LIMIT_PER_KEY: '0', RATE_LIMIT_PER_IP: '0', PORT: '0' }));
  app.get('/__ceiling', async () => ({ ok: true }));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    global.gc?.();
    const rssIdle = process.memoryUsage().rss / 1024 / 1024;
    const { default: autocannon } = await import('autocannon');
    const demo = app.appInfo.demo!;
    const headers = { authorization: `Bearer ${demo.secretKey}`, 'content-type': 'application/json' };
    const services = (await (await fetch(`${address}/trpc/services.list`, { headers })).json()) as { result: { data: { id: string }[] } };
    const input = encodeURIComponent(JSON.stringify({ serviceId: services.result.data[0]!.id, from: isoDate(1), to: isoDate(Number(process.env.BENCH_DAYS ?? 1)) }));
    const run = async (options: { url: string; method?: 'GET' | 'POST'; body?: string }) => {
      const result = await autocannon({ connections, duration, headers, ...options });
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`${options.url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      return { rps: Math.round(result.requests.average), p99: result.latency.p99 };
    };
    const ceiling = await run({ url: `${address}/__ceiling` });
    const availability = await run({ url: `${address}/trpc/availability.get?input=${input}` });
    const chat = await run({ url: `${address}/trpc/chat.send`, method: 'POST', body: JSON.stringify({ text: 'What services do you offer?' }) });
    console.log(
      JSON.stringify({
        connections,
        duration_s: duration,
        availability_rps: availability.rps,
        availability_p99_ms: availability.p99,
        chat_rps: chat.rps,
        chat_p99_ms: chat.p99,
        ceiling_rps: ceiling.rps,
        ratio_availability_vs_ceiling: Number((availability.rps / ceiling.rps).toFixed(3)),
        rss_mb_idle: Math.round(rssIdle),
      }),
    );
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
