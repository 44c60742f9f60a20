import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { withTransaction } from '@gomomo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueOutboxMessage } from '../src/outbox/enqueue.js';
import { startFakePostmark, type FakePostmark } from './fakes/fake-postmark.js';
import { makeTenant } from './helpers.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const script = fileURLToPath(new URL('./fixtures/sender-process.ts', import.meta.url));

let db: TestDatabase;
let postmark: FakePostmark;

beforeAll(async () => {
  db = await createTestDatabase();
  postmark = await startFakePostmark();
});
afterAll(async () => {
  await postmark?.close();
  await db?.drop();
});

function startSender(env: Record<string, string>): { child: ChildProcess; exited: Promise<number | null> } {
  // node itself (tsx as a loader), not the tsx wrapper: SIGKILL must hit the process that sends.
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: db.url, POSTMARK_TOKEN: postmark.token, POSTMARK_HOST: postmark.host, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => {
    if (code !== 0 && code !== null) console.error(stderr);
    resolve(code);
  }));
  return { child, exited };
}

describe('outbox sender killed mid-batch', () => {
  it('loses nothing and sends nothing twice when its process is SIGKILLed and another takes over', async () => {
    const tenantId = await makeTenant(db.pool);
    const total = 150;
    await withTransaction(db.pool, async (client) => {
      for (let i = 0; i < total; i++) {
        await enqueueOutboxMessage(client, { tenantId, channel: 'email', template: 'confirmation', recipient: `crash${i}@example.com`, subject: 'Hi', body: `Message ${i}`, idempotencyKey: `crash-${i}` });
      }
    });
    // Slow answers keep many requests in flight, so the kill lands mid-send.
    postmark.delayMs = 40;
    const first = startSender({ LEASE_MS: '1500' });
    const until = Date.now() + 30_000;
    while (postmark.received.length < 40 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    const { rows: inFlight } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM notification_outbox WHERE status = 'sending'`);
    expect(inFlight[0]!.n).toBeGreaterThan(0);
    // Some of those were already accepted by Postmark when the process died: the dangerous case.
    const { rows: handedOver } = await db.pool.query<{ id: string }>(`SELECT id FROM notification_outbox WHERE status = 'sending'`);
    const accepted = postmark.countsByOutboxId();
    expect(handedOver.filter((r) => accepted.has(r.id)).length).toBeGreaterThan(0);

    postmark.delayMs = 0;
    const second = startSender({ LEASE_MS: '1500' });
    expect(await second.exited).toBe(0);

    const { rows } = await db.pool.query<{ id: string; status: string }>('SELECT id, status FROM notification_outbox WHERE tenant_id = $1', [tenantId]);
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(total);
    const counts = postmark.countsByOutboxId();
    const duplicates = rows.filter((r) => (counts.get(r.id) ?? 0) > 1);
    const missing = rows.filter((r) => (counts.get(r.id) ?? 0) === 0);
    expect({ duplicates: duplicates.length, missing: missing.length }).toEqual({ duplicates: 0, missing: 0 });
  }, 60_000);
});
