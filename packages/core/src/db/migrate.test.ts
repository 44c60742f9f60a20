import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { defaultMigrationsDir, migrate, migrationStatus, renderMigrationSql } from './migrate.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe('migrate', () => {
  it('finds nothing to apply on a database cloned from the migrated template', async () => {
    expect(await migrate(db.pool)).toEqual([]);
    const status = await migrationStatus(db.pool);
    expect(status.pending).toEqual([]);
    expect(status.applied[0]).toBe(1);
  });

  it('lets two migrators start together: one applies, the other waits and finds nothing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gomomo-mig-'));
    await cp(defaultMigrationsDir(), dir, { recursive: true });
    // After the highest applied number, not the count: numbers are ranges per package, with gaps.
    const next = String(Math.max(...(await migrationStatus(db.pool)).applied) + 1).padStart(4, '0');
    await writeFile(path.join(dir, `${next}_race_check.sql`), 'CREATE TABLE race_check (id int); SELECT pg_sleep(0.2);');
    const [a, b] = await Promise.all([migrate(db.pool, { dir }), migrate(db.pool, { dir })]);
    expect([...a, ...b]).toEqual([Number(next)]);
  });

  it('refuses a migration that was edited after it was applied', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gomomo-mig-'));
    await cp(defaultMigrationsDir(), dir, { recursive: true });
    const first = path.join(dir, '0001_foundation.sql');
    await writeFile(first, '-- edited\n', { flag: 'a' });
    await expect(migrate(db.pool, { dir })).rejects.toThrow(/0001_foundation.sql was edited after it was applied/);
  });

  it('prints exactly the versions asked for, one numbered below others included (a package adds to its own block)', async () => {
    const sql = await renderMigrationSql({ versions: [28, 103] });
    expect([...sql.matchAll(/^-- (\d{4}_[a-z0-9_]+)\.sql$/gm)].map((match) => match[1])).toEqual(['0028_audit_append_batch_planned_once', '0103_waitlist_offer_open_planned_once']);
    expect(await renderMigrationSql({ versions: [] })).not.toContain('BEGIN;');
  });

  it('prints the SQL a DBA would apply, with the version bookkeeping', async () => {
    const sql = await renderMigrationSql();
    expect(sql).toContain('CREATE TABLE tenants');
    expect(sql).toMatch(/INSERT INTO gomomo_migrations \(version, name, checksum\) VALUES \(1, 'foundation', '[0-9a-f]{64}'\)/);
  });
});
