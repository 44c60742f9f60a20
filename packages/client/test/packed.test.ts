import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTestDatabase, ManualClock, type TestDatabase } from '@gomomo/core/testing';
import { gomomoPlugin } from '@gomomo/server';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('../', import.meta.url));
const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
const adminSecret = 'packed-client-admin-secret';

let db: TestDatabase;
let app: FastifyInstance;
let baseUrl: string;
let scratch: string;

beforeAll(async () => {
  db = await createTestDatabase();
  app = Fastify();
  await app.register(gomomoPlugin, { pool: db.pool, adminSecret, clock: new ManualClock('2026-12-01T13:00:00Z'), rateLimit: false });
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });

  // Build, pack, and install the tarball in a project outside the workspace, from the registry.
  scratch = await mkdtemp(path.join(tmpdir(), 'gomomo-client-scratch-'));
  await run('pnpm', ['run', 'build'], { cwd: packageDir });
  await run('pnpm', ['pack', '--pack-destination', scratch], { cwd: packageDir });
  const tarball = (await readdir(scratch)).find((file) => file.endsWith('.tgz'))!;
  await writeFile(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `./${tarball}`], { cwd: scratch });
}, 240_000);

afterAll(async () => {
  await app?.close();
  await db?.drop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('the packed @gomomo/client', () => {
  it('installs without the workspace and calls a live server from Node', async () => {
    await writeFile(
      path.join(scratch, 'main.mjs'),
      `import { createGomomoClient } from '@gomomo/client';
const admin = createGomomoClient({ baseUrl: process.argv[2], apiKey: process.argv[3] });
const onboarded = await admin.admin.createTenant.mutate({
  name: 'Scratch Clinic', slug: 'scratch', timeZone: 'Europe/Paris',
  services: [{ name: 'Haircut', durationMinutes: 30 }],
  hours: [{ weekday: 3, opens: '09:00', closes: '12:00' }],
});
const client = createGomomoClient({ baseUrl: process.argv[2], apiKey: onboarded.keys.secret.key });
const services = await client.services.list.query();
let failure;
try { await client.bookings.get.query({ reference: 'GM-00000' }); } catch (error) { failure = error.data.code; }
console.log(JSON.stringify({ services: services.map((s) => s.name), failure }));
`,
    );
    const { stdout } = await run(process.execPath, ['main.mjs', baseUrl, adminSecret], { cwd: scratch });
    expect(JSON.parse(stdout)).toEqual({ services: ['Haircut'], failure: 'NOT_FOUND' });
  });

  // tRPC's own types use Disposable, hence ESNext.Disposable in lib (as tRPC's docs ask of every consumer).
  it('type-checks a consumer strictly (no skipLibCheck) with only the package and its dependencies installed', async () => {
    await writeFile(
      path.join(scratch, 'check.ts'),
      `import { createGomomoClient, type SessionEvent } from '@gomomo/client';
const client = createGomomoClient({ baseUrl: 'http://localhost:3000', apiKey: 'pk_live_x' });
export async function names(): Promise<string[]> {
  const services = await client.services.list.query();
  return services.map((service) => service.name);
}
export function onEvent(event: SessionEvent): string { return event.kind; }
// @ts-expect-error: the router's types are real, so a wrong input is a compile error
void client.availability.get.query({ serviceId: 42 });
`,
    );
    await writeFile(
      path.join(scratch, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2023', 'ESNext.Disposable', 'DOM'], skipLibCheck: false, types: [] }, files: ['check.ts'] }),
    );
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: scratch }).catch((error: { stdout: string }) => ({ stdout: error.stdout, failed: true }));
    expect(result.stdout).toBe('');
  });
});
