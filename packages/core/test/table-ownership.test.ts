// "A package's tables are its own: others read them through the owner's functions, never by their
// own SQL" (docs/architecture.md). Lint checks imports, not SQL, so this test reads the SQL: a
// table's owner is the package whose migration range created it (see `migrate.ts`: core 1–19,
// policy 20–29, agent 30–39, server 40–49, autonomy 50–59, channels 60–69; when a range
// filled up, a second one: core 100–119, channels 120–139, server 140–159, agent 160–179, autonomy 180–189, policy 190–199), and every SQL
// statement in a package's sources may name only its own tables. The few crossings left are listed
// below with their reasons: the list may only shrink (an entry that no longer crosses fails too).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const migrationsDir = path.join(root, 'packages/core/migrations');

const ranges: { owner: string; from: number; to: number }[] = [
  { owner: 'core', from: 1, to: 19 },
  { owner: 'policy', from: 20, to: 29 },
  { owner: 'agent', from: 30, to: 39 },
  { owner: 'server', from: 40, to: 49 },
  { owner: 'autonomy', from: 50, to: 59 },
  { owner: 'channels', from: 60, to: 69 },
  { owner: 'core', from: 100, to: 119 },
  { owner: 'channels', from: 120, to: 139 },
  { owner: 'server', from: 140, to: 159 },
  { owner: 'agent', from: 160, to: 179 },
  { owner: 'autonomy', from: 180, to: 189 },
  { owner: 'policy', from: 190, to: 199 },
];

/**
 * Crossings that remain ("package → table" → why). Core's read models (`src/read-models/`) paid the
 * rest of the debt (issue "Contracts", item 2); none may be added, and an entry that no longer
 * crosses fails the test.
 */
const knownCrossings = new Map<string, string>([
  [
    'autonomy → agent_sessions',
    'the hold follow-up falls back to the contact the conversation gave; autonomy may not import the agent (lint), so it reads the table when present until the contact travels in the event',
  ],
  [
    'autonomy → domain_events',
    "the queue catch-up is one set-based statement over core's events, autonomy's receipts and graphile-worker's jobs; like migration 0050's trigger on the same table, it is the queue's install",
  ],
]);

/**
 * Tables whose migration's number lies in another package's range (applied migrations never
 * change, so a misnumbered one is named here rather than renumbered). None today.
 */
const ownerOverrides = new Map<string, string>();

/** Table → owning package, from the migration that creates it. */
function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  for (const file of readdirSync(migrationsDir).filter((name) => name.endsWith('.sql'))) {
    const version = Number(file.slice(0, 4));
    const owner = ranges.find((range) => version >= range.from && version <= range.to)?.owner;
    const sql = readFileSync(path.join(migrationsDir, file), 'utf8');
    for (const match of sql.matchAll(/create\s+table\s+(?:if\s+not\s+exists\s+)?(?:public\.)?([a-z_][a-z0-9_]*)/gi)) {
      if (!owner) throw new Error(`${file} creates ${match[1]} but its number is in no package's range`);
      const table = match[1]!.toLowerCase();
      owners.set(table, ownerOverrides.get(table) ?? owner);
    }
  }
  return owners;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.(test|e2e)\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Tables named by SQL in a source file (comments stripped, so prose about a table does not count). */
function tablesNamedIn(source: string, tables: Set<string>): Set<string> {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const named = new Set<string>();
  for (const match of code.matchAll(/\b(?:from|join|into|update|table|references|exists)\s+(?:only\s+)?(?:public\.)?([a-z_][a-z0-9_]*)\b/gi)) {
    const table = match[1]!.toLowerCase();
    if (tables.has(table)) named.add(table);
  }
  return named;
}

/** Every "consumer → table" crossing in the repository: a package or app naming a table it does not own. */
function crossings(owners: Map<string, string>): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const tables = new Set(owners.keys());
  const consumers = [
    ...readdirSync(path.join(root, 'packages')).map((name) => ({ name, dir: path.join(root, 'packages', name, 'src') })),
    ...readdirSync(path.join(root, 'apps')).map((name) => ({ name: `apps/${name}`, dir: path.join(root, 'apps', name, 'src') })),
  ];
  for (const consumer of consumers) {
    let files: string[];
    try {
      files = sourceFiles(consumer.dir);
    } catch {
      continue;
    }
    for (const file of files) {
      for (const table of tablesNamedIn(readFileSync(file, 'utf8'), tables)) {
        if (owners.get(table) === consumer.name) continue;
        const key = `${consumer.name} → ${table}`;
        found.set(key, [...(found.get(key) ?? []), path.relative(root, file)]);
      }
    }
  }
  return found;
}

describe('table ownership', () => {
  const owners = tableOwners();
  const found = crossings(owners);

  it('knows an owner for every table the migrations create', () => {
    expect(owners.size).toBeGreaterThan(30);
    expect(owners.get('claims')).toBe('core');
    expect(owners.get('audit_log')).toBe('policy');
    expect(owners.get('notification_outbox')).toBe('channels');
    expect(owners.get('agent_hold_origins')).toBe('agent');
  });

  it('finds SQL naming another package’s table (the check can fail)', () => {
    const sample = 'await client.query(`SELECT a.id FROM appointments a JOIN audit_log l ON true`); // not: from services';
    expect([...tablesNamedIn(sample, new Set(owners.keys()))].sort()).toEqual(['appointments', 'audit_log']);
  });

  it('lets no package run SQL against a table another package owns, beyond the listed debt', () => {
    const added = [...found.entries()].filter(([key]) => !knownCrossings.has(key)).map(([key, files]) => `${key} (${files.join(', ')})`);
    expect(added).toEqual([]);
  });

  it('keeps the debt list true: every listed crossing still exists', () => {
    expect([...knownCrossings.keys()].filter((key) => !found.has(key))).toEqual([]);
  });
});
