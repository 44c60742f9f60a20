// pnpm bench:api — one JSON object: availability and chat throughput/p99 under 50 connections, a
// plain fastify route returning a constant as the ceiling, and the idle resident memory after start.
//
// The API runs as it does in production — the built `dist/main.js` under plain node, in its own
// process with its own embedded Postgres — and the load generator runs here, so the two don't share
// an event loop. The ceiling server is a child process too, measured by the same load generator in
// the same run. Needs `pnpm build` first (the root `bench:api` script does it).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const connections = 50;
const duration = Number(process.env.BENCH_SECONDS ?? 5);
const appDir = fileURLToPath(new URL('..', import.meta.url));
const mainJs = path.join(appDir, 'dist', 'main.js');

function isoDate(daysFromNow: number): string {
  return new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);
}

/** Starts a node process and resolves with its first stdout line matching `ready`. */
function startProcess(args: string[], options: { env: Record<string, string>; ready: RegExp }): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, args, { cwd: appDir, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no ready line within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => options.ready.test(l));
      if (line) {
        clearTimeout(timer);
        resolve({ child, line });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`exited with ${code} before it was ready:\n${output}`)));
  });
}

/** Resident memory of a process, from the kernel (what `ps` calls RSS). */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Math.round(Number(line.replace(/\D+/g, '')) / 1024);
}

async function load(options: { url: string; headers?: Record<string, string>; method?: 'GET' | 'POST'; body?: string }) {
  const result = await autocannon({ connections, duration, ...options });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${options.url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: Math.round(result.requests.average), p99: result.latency.p99 };
}

const ceilingServer = `
  const app = (await import('fastify')).default();
  app.get('/', async () => ({ ok: true }));
  console.log('ceiling ready at ' + await app.listen({ port: 0, host: '127.0.0.1' }));
`;

async function main(): Promise<void> {
  if (!existsSync(mainJs)) throw new Error('apps/api/dist/main.js is missing: run pnpm build first');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'gomomo-bench-'));
  const children: ChildProcess[] = [];
  try {
    const api = await startProcess(['dist/main.js'], {
      env: { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', RATE_LIMIT_PER_KEY: '0', RATE_LIMIT_PER_IP: '0' },
      ready: /gomomo ready at /,
    });
    children.push(api.child);
    const baseUrl = /ready at (\S+)/.exec(api.line)![1]!;
    const secretKey = /secret key (\S+)/.exec(api.line)![1]!;
    // Let start-up work (migrations, the autonomy worker's first poll) settle before reading memory.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const rssIdle = rssMb(api.child.pid!);

    const ceiling = await startProcess(['--input-type=module', '-e', ceilingServer], { env: {}, ready: /ceiling ready at / });
    children.push(ceiling.child);
    const ceilingUrl = /ready at (\S+)/.exec(ceiling.line)![1]!;

    const headers = { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' };
    const services = (await (await fetch(`${baseUrl}/trpc/services.list`, { headers })).json()) as { result: { data: { id: string }[] } };
    const days = Number(process.env.BENCH_DAYS ?? 1);
    const input = encodeURIComponent(JSON.stringify({ serviceId: services.result.data[0]!.id, from: isoDate(1), to: isoDate(days) }));

    const ceilingRun = await load({ url: ceilingUrl });
    const availability = await load({ url: `${baseUrl}/trpc/availability.get?input=${input}`, headers });
    const chat = await load({ url: `${baseUrl}/trpc/chat.send`, headers, method: 'POST', body: JSON.stringify({ text: 'What services do you offer?' }) });
    console.log(
      JSON.stringify({
        connections,
        duration_s: duration,
        availability_days: days,
        availability_rps: availability.rps,
        availability_p99_ms: availability.p99,
        chat_rps: chat.rps,
        chat_p99_ms: chat.p99,
        ceiling_rps: ceilingRun.rps,
        ratio_availability_vs_ceiling: Number((availability.rps / ceilingRun.rps).toFixed(3)),
        rss_mb_idle: rssIdle,
        rss_mb_after_load: rssMb(api.child.pid!),
        server: 'node dist/main.js (built), embedded Postgres, offline brain, autonomy worker in process',
      }),
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)))));
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
