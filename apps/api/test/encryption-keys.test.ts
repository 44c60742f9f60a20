// Issue 18, item 1: secrets written under key 1, rotated to key 2 with the CLI, key 1 removed,
// everything still reads; a start with a key missing fails and names the key id.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createTenant, parseEncryptionKeys, readSecret, withTenant, writeSecret } from '@gomomo/core';
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { apiDir } from './processes.js';

let db: TestDatabase;
let tenantId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  tenantId = (await createTenant(db.pool, { name: 'Keys Clinic', slug: 'keys-clinic', timeZone: 'UTC', services: [{ name: 'Visit', durationMinutes: 30 }], hours: [] })).id;
});
afterAll(async () => {
  await db?.drop();
});

function gomomo(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', '--conditions=source', 'src/cli/gomomo.ts', ...args], { cwd: apiDir, env: { ...process.env, DATABASE_URL: db.url, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const key1 = `k1:${randomBytes(32).toString('base64')}`;
const key2 = `k2:${randomBytes(32).toString('base64')}`;
const tokens = Array.from({ length: 5 }, (_, i) => `1//refresh-token-${i}-${randomBytes(8).toString('hex')}`);

describe('encryption keys', () => {
  it('rotates from key 1 to key 2 with gomomo secrets rotate; with key 1 removed everything reads', { timeout: 120_000 }, async () => {
    await withTenant(db.pool, tenantId, async (client) => {
      for (const [i, value] of tokens.entries()) await writeSecret(client, parseEncryptionKeys(key1), { tenantId, name: `calendar:test:${i}`, value });
    });
    const before = await gomomo(['doctor', '--json'], { GOMOMO_ENCRYPTION_KEYS: `${key2},${key1}` });
    expect(JSON.parse(before.stdout).checks).toContainEqual(expect.objectContaining({ name: 'encryption_keys', status: 'warn' }));

    const rotated = await gomomo(['secrets', 'rotate', '--json', '--batch-size', '2'], { GOMOMO_ENCRYPTION_KEYS: `${key2},${key1}` });
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(JSON.parse(rotated.stdout)).toEqual({ rotated: 5, raced: 0, remaining: 0 });
    expect(rotated.stdout + rotated.stderr).not.toContain(key1.slice(3));

    const after = await gomomo(['doctor', '--json'], { GOMOMO_ENCRYPTION_KEYS: key2 });
    expect(JSON.parse(after.stdout).checks).toContainEqual(expect.objectContaining({ name: 'encryption_keys', status: 'ok' }));
    // One after another: a connection runs one query at a time (pg 9 refuses a second one in flight).
    const read = await withTenant(db.pool, tenantId, async (client) => {
      const secrets: (string | null)[] = [];
      for (const [i] of tokens.entries()) secrets.push(await readSecret(client, parseEncryptionKeys(key2), { tenantId, name: `calendar:test:${i}` }));
      return secrets;
    });
    expect(read).toEqual(tokens);
  });

  it('refuses to start when stored secrets need a key that is not configured, naming the key id', { timeout: 120_000 }, async () => {
    const config = loadConfig({ DATABASE_URL: db.url, ADMIN_SECRET: 'a'.repeat(24), LOG_LEVEL: 'silent', AUTONOMY_IN_API: 'false', GOMOMO_ENCRYPTION_KEYS: key1 });
    const error = await buildApp(config).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/GOMOMO_ENCRYPTION_KEYS: Stored secrets are encrypted under key id "k2", which GOMOMO_ENCRYPTION_KEYS does not contain/);
    const unset = await buildApp(loadConfig({ DATABASE_URL: db.url, ADMIN_SECRET: 'a'.repeat(24), LOG_LEVEL: 'silent', AUTONOMY_IN_API: 'false' })).catch((e: unknown) => e);
    expect((unset as Error).message).toContain('"k2"');
    const doctor = await gomomo(['doctor', '--json'], { GOMOMO_ENCRYPTION_KEYS: key1 });
    expect(doctor.code).toBe(1);
    expect(JSON.parse(doctor.stdout).checks).toContainEqual(expect.objectContaining({ name: 'encryption_keys', status: 'fail', detail: expect.stringContaining('"k2"') }));
  });

  it('names a malformed key in the start-up message without printing it', () => {
    const material = randomBytes(16).toString('base64');
    expect(() => loadConfig({ GOMOMO_ENCRYPTION_KEYS: `k1:${material}` })).toThrow(/GOMOMO_ENCRYPTION_KEYS: key "k1" must be 32 bytes/);
    try {
      loadConfig({ GOMOMO_ENCRYPTION_KEYS: `k1:${material}` });
    } catch (error) {
      expect((error as Error).message).not.toContain(material);
    }
  });
});
