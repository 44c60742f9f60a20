// `pnpm env:example`: rewrites the repository's .env.example from the configuration schema.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderEnvExample } from '../src/env-example.js';

const target = fileURLToPath(new URL('../../../.env.example', import.meta.url));
writeFileSync(target, renderEnvExample());
console.log(`wrote ${target}`);
