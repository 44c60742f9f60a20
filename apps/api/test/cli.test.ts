import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiDir } from './processes.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** Runs the CLI as a real process (node + tsx, as `pnpm gomomo` does); its exit code and output. */
function gomomo(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', '--conditions=source', 'src/cli/gomomo.ts', ...args], { cwd: apiDir, env: { ...process.env, DATABASE_URL: db.url, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('gomomo CLI', () => {
  it('prints help with exit 0, and a usage mistake with exit 2', { timeout: 120_000 }, async () => {
    const help = await gomomo(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('doctor');
    const staff = await gomomo(['staff', '--help']);
    expect(staff.stdout).toContain('not available yet');
    const unknown = await gomomo(['key', 'create', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--bogus'");
  });

  it('migrate --print needs no database; migrate --status --json lists nothing pending', { timeout: 120_000 }, async () => {
    const printed = await gomomo(['migrate', '--print'], { DATABASE_URL: '' });
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain('CREATE TABLE');
    const status = await gomomo(['migrate', '--status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ pending: [] });
  });

  it('migrate --print --pending prints a pending migration numbered below the highest applied, which --from skips', { timeout: 120_000 }, async () => {
    // A database upgraded by a DBA: the release added policy's 0028 while 0181 was already applied.
    const upgraded = await createTestDatabase();
    try {
      await upgraded.pool.query('DELETE FROM gomomo_migrations WHERE version = 28');
      const env = { DATABASE_URL: upgraded.url };
      const highest = Number((await upgraded.pool.query<{ v: number }>('SELECT max(version) AS v FROM gomomo_migrations')).rows[0]!.v);
      const fromHighest = await gomomo(['migrate', '--print', '--from', String(highest)], env);
      expect(fromHighest.stdout).not.toContain('0028_');
      const pending = await gomomo(['migrate', '--print', '--pending'], env);
      expect(pending.code, pending.stderr).toBe(0);
      expect([...pending.stdout.matchAll(/^-- (\d{4})_\S+\.sql$/gm)].map((match) => match[1])).toEqual(['0028']);
      expect((await gomomo(['migrate', '--pending'], env)).code).toBe(2);
      expect((await gomomo(['migrate', '--print', '--pending', '--from', '3'], env)).code).toBe(2);
    } finally {
      await upgraded.drop();
    }
  });

  it('creates a tenant from a JSON file and flags, then creates, lists and revokes a key', { timeout: 120_000 }, async () => {
    const file = path.join(os.tmpdir(), `gomomo-cli-tenant-${process.pid}.json`);
    await writeFile(file, JSON.stringify({ name: 'CLI Clinic', timeZone: 'Europe/Lisbon', services: [{ name: 'Cut', durationMinutes: 30 }], hours: [{ weekday: 1, opens: '09:00', closes: '17:00' }] }));
    const created = await gomomo(['tenant', 'create', '--file', file, '--slug', 'cli-clinic', '--origin', 'https://cli.example', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const tenant = JSON.parse(created.stdout) as { tenant: { slug: string }; keys: { secret: string } };
    expect(tenant.tenant.slug).toBe('cli-clinic');
    expect(tenant.keys.secret).toMatch(/^sk_live_/);

    const again = await gomomo(['tenant', 'create', '--file', file, '--slug', 'cli-clinic']);
    expect(again.code).toBe(1);
    const invalid = await gomomo(['tenant', 'create', '--name', 'X Clinic', '--slug', 'x-clinic', '--time-zone', 'Mars/Base', '--service', 'Cut:30', '--hours', '1-5@09:00-17:00']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('timeZone');

    const key = await gomomo(['key', 'create', '--tenant', 'cli-clinic', '--kind', 'publishable', '--name', 'site', '--json']);
    expect(key.code, key.stderr).toBe(0);
    const { id } = JSON.parse(key.stdout) as { id: string };
    const list = await gomomo(['key', 'list', '--tenant', 'cli-clinic', '--json']);
    const keys = JSON.parse(list.stdout) as { id: string; masked: string }[];
    expect(keys).toHaveLength(3);
    expect(list.stdout).not.toContain(tenant.keys.secret);
    const revoked = await gomomo(['key', 'revoke', '--tenant', 'cli-clinic', id, '--json']);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ id, revokedAt: expect.any(String) });
    const missing = await gomomo(['key', 'list', '--tenant', 'no-such-clinic']);
    expect(missing.code).toBe(1);
  });

  it('doctor passes every check on a migrated database, and fails (exit 1) when a check fails', { timeout: 120_000 }, async () => {
    const healthy = await gomomo(['doctor', '--json']);
    expect(healthy.code, healthy.stdout + healthy.stderr).toBe(0);
    const report = JSON.parse(healthy.stdout) as { ok: boolean; checks: { name: string; status: string }[] };
    expect(report.ok).toBe(true);
    expect(report.checks.map((check) => check.name)).toEqual(['postgres', 'btree_gist', 'migrations', 'rls_role', 'listen_notify', 'outbox', 'queue', 'encryption_keys', 'clock_skew']);
    // A pending outbox message older than the limit is a failed check.
    await db.pool.query(
      `INSERT INTO notification_outbox (tenant_id, channel, template, recipient, body, idempotency_key, next_attempt_at)
       SELECT id, 'email', 'doctor-test', 'doctor@example.com', 'hello', 'doctor-test', now() - interval '1 hour' FROM tenants LIMIT 1`,
    );
    const stale = await gomomo(['doctor', '--json', '--max-outbox-age', '60']);
    expect(stale.code).toBe(1);
    expect((JSON.parse(stale.stdout) as { checks: { name: string; status: string }[] }).checks.find((check) => check.name === 'outbox')?.status).toBe('fail');
  });
});
