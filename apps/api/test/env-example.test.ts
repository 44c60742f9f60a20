import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../src/config.js';
import { renderEnvExample } from '../src/env-example.js';

const file = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');

describe('.env.example', () => {
  it('is what `pnpm env:example` renders from the config schema (run it after changing config.ts)', () => {
    expect(file).toBe(renderEnvExample());
  });

  it('names every variable of the schema, with a description', () => {
    for (const [name, field] of Object.entries(configSchema.shape)) {
      expect(field.description, `${name} needs .describe()`).toBeTruthy();
      expect(file).toMatch(new RegExp(`^# ${name}=`, 'm'));
    }
  });

  it('shows the schema default of a defaulted variable', () => {
    expect(file).toMatch(/^# PORT=3000$/m);
    expect(file).toMatch(/^# WORKER_CONCURRENCY=8$/m);
  });
});
