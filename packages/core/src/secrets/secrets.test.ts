import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/transaction.js';
import { isBookingError } from '../errors.js';
import { createTenant } from '../tenants/tenants.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { parseEncryptionKeys } from './keyring.js';
import { assertSecretKeysPresent, deleteSecret, findMissingSecretKeys, readSecret, rotateSecrets, writeSecret } from './store.js';

let db: TestDatabase;
let tenantIds: string[];
beforeAll(async () => {
  db = await createTestDatabase();
  tenantIds = [];
  for (const slug of ['secrets-a', 'secrets-b']) {
    tenantIds.push((await createTenant(db.pool, { name: slug, slug, timeZone: 'UTC', services: [{ name: 'Visit', durationMinutes: 30 }], hours: [] })).id);
  }
});
afterAll(async () => {
  await db.drop();
});

const key = () => randomBytes(32).toString('base64');
const key1 = `k1:${key()}`;
const key2 = `k2:${key()}`;

async function write(keys: string, tenantId: string, name: string, value: string): Promise<void> {
  await withTenant(db.pool, tenantId, (client) => writeSecret(client, parseEncryptionKeys(keys), { tenantId, name, value }));
}
async function read(keys: string, tenantId: string, name: string): Promise<string | null> {
  return withTenant(db.pool, tenantId, (client) => readSecret(client, parseEncryptionKeys(keys), { tenantId, name }));
}

describe('parseEncryptionKeys', () => {
  it.each([
    ['k1', 'id:base64'],
    [`bad id!:${key()}`, 'letters, digits'],
    ['k1:c2hvcnQ=', '32 bytes'],
    [`k1:${key()},k1:${key()}`, 'listed twice'],
  ])('refuses %s, naming the variable', (value, problem) => {
    expect(() => parseEncryptionKeys(value)).toThrow(/GOMOMO_ENCRYPTION_KEYS: .*/);
    expect(() => parseEncryptionKeys(value)).toThrow(problem);
  });

  it('has no default key: an empty keyring seals nothing', () => {
    const keyring = parseEncryptionKeys(undefined);
    expect(keyring.ids).toEqual([]);
    expect(() => keyring.seal('x', 'c')).toThrow(/No encryption key is configured/);
  });

  it('never prints key material', () => {
    const material = key();
    const keyring = parseEncryptionKeys(`k1:${material}`);
    expect(JSON.stringify({ keyring })).not.toContain(material);
    expect(inspect(keyring, { showHidden: true, depth: 10 })).not.toContain(material);
  });
});

describe('secrets store', () => {
  it('seals each value with its own nonce and never stores the plaintext', async () => {
    const [tenantId] = tenantIds as [string];
    await write(key1, tenantId, 'nonce:a', 'same-value');
    await write(key1, tenantId, 'nonce:b', 'same-value');
    const { rows } = await db.pool.query<{ nonce: Buffer; ciphertext: Buffer; key_id: string }>(`SELECT nonce, ciphertext, key_id FROM secrets WHERE name LIKE 'nonce:%' ORDER BY name`);
    expect(rows.map((r) => r.key_id)).toEqual(['k1', 'k1']);
    expect(rows[0]!.nonce.equals(rows[1]!.nonce)).toBe(false);
    expect(rows[0]!.ciphertext.equals(rows[1]!.ciphertext)).toBe(false);
    expect(rows.some((r) => r.ciphertext.toString('utf8').includes('same-value'))).toBe(false);
    expect(await read(key1, tenantId, 'nonce:a')).toBe('same-value');
  });

  it('binds a value to its tenant and name: a copied row does not open elsewhere', async () => {
    const [a, b] = tenantIds as [string, string];
    await write(key1, a, 'bound', 'tenant-a-token');
    await db.pool.query(`INSERT INTO secrets (tenant_id, name, key_id, nonce, ciphertext, tag) SELECT $2, name, key_id, nonce, ciphertext, tag FROM secrets WHERE tenant_id = $1 AND name = 'bound'`, [a, b]);
    await expect(read(key1, b, 'bound')).rejects.toThrow(/authenticate/);
    await db.pool.query(`DELETE FROM secrets WHERE tenant_id = $1 AND name = 'bound'`, [b]);
  });

  it('keeps tenants apart under row-level security', async () => {
    const [a, b] = tenantIds as [string, string];
    await write(key1, a, 'only-a', 'a-secret');
    expect(await read(key1, b, 'only-a')).toBeNull();
    expect(await withTenant(db.pool, b, (client) => deleteSecret(client, { tenantId: a, name: 'only-a' }))).toBe(false);
    expect(await read(key1, a, 'only-a')).toBe('a-secret');
  });
});

describe('rotateSecrets', () => {
  it('re-seals values written under key 1 with key 2; with key 1 removed everything still reads', async () => {
    const [a, b] = tenantIds as [string, string];
    const values = new Map<string, string>();
    for (let i = 0; i < 7; i++) {
      const tenantId = i % 2 === 0 ? a : b;
      const name = `rotate:${i}`;
      values.set(`${tenantId}/${name}`, `token-${i}`);
      await write(key1, tenantId, name, `token-${i}`);
    }
    // Key 2 is added first (it writes); key 1 stays readable during the rotation.
    const result = await rotateSecrets(db.pool, parseEncryptionKeys(`${key2},${key1}`), { batchSize: 3 });
    expect(result.remaining).toBe(0);
    expect(result.rotated).toBeGreaterThanOrEqual(7);
    expect((await findMissingSecretKeys(db.pool, parseEncryptionKeys(key2))).missingKeyIds).toEqual([]);
    for (const [where, value] of values) {
      const [tenantId, name] = where.split('/') as [string, string];
      expect(await read(key2, tenantId, name)).toBe(value);
    }
    // Resumable: a second run has nothing left to do.
    expect(await rotateSecrets(db.pool, parseEncryptionKeys(`${key2},${key1}`))).toEqual({ rotated: 0, raced: 0, remaining: 0 });
  });

  it('does not overwrite a value written while it ran (compare-and-swap on the version)', async () => {
    const [a] = tenantIds as [string];
    const key3 = `k3:${key()}`;
    await write(key2, a, 'racing', 'old');
    let isWritten = false;
    // The concurrent write lands between the rotation's read and its write of the row.
    const original = db.pool.query.bind(db.pool);
    const spy = Object.assign(Object.create(db.pool) as typeof db.pool, {
      query: async (...args: Parameters<typeof original>) => {
        const text = typeof args[0] === 'string' ? args[0] : '';
        if (!isWritten && text.trimStart().startsWith('UPDATE secrets')) {
          isWritten = true;
          await write(`${key3},${key2}`, a, 'racing', 'new');
        }
        return (original as (...a: unknown[]) => Promise<unknown>)(...args);
      },
    });
    const result = await rotateSecrets(spy, parseEncryptionKeys(`${key3},${key2}`));
    expect(result.raced).toBeGreaterThanOrEqual(1);
    expect(await read(`${key3},${key2}`, a, 'racing')).toBe('new');
  });

  it('a start with a missing key fails with a clear message naming the key id', async () => {
    const [a] = tenantIds as [string];
    await write(`lost:${key()}`, a, 'orphan', 'x');
    const error = await assertSecretKeysPresent(db.pool, parseEncryptionKeys(`${key2},${key1}`)).catch((e: unknown) => e);
    expect(isBookingError(error, 'ENCRYPTION_KEY_MISSING')).toBe(true);
    expect((error as Error).message).toMatch(/encrypted under key ids? .*"lost".*which GOMOMO_ENCRYPTION_KEYS does not contain/);
    await expect(assertSecretKeysPresent(db.pool, parseEncryptionKeys(undefined))).rejects.toThrow(/"lost"/);
    await expect(read(key2, a, 'orphan')).rejects.toThrow(/"lost"/);
    await expect(rotateSecrets(db.pool, parseEncryptionKeys(key2))).rejects.toThrow(/"lost"/);
  });
});
