import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock, Pool } from '@gomomo/core';
import { addAllowedOrigins, createApiKey, verifyApiKey } from '@gomomo/server';

export interface DemoKeys {
  tenantId: string;
  secretKey: string;
  publishableKey: string;
}

/**
 * The demo tenant's keys, stable across restarts. Keys are stored hashed, so the plaintext is kept
 * in a file next to the embedded database (`.data/demo-keys.json`, mode 0600, git-ignored); when
 * the file is missing or its keys no longer work, new keys are made and the file rewritten.
 */
export async function ensureDemoKeys(pool: Pool, input: { tenantId: string; dataDir: string; origins: string[]; clock: Clock }): Promise<DemoKeys> {
  const file = path.join(input.dataDir, 'demo-keys.json');
  await addAllowedOrigins(pool, input.tenantId, input.origins);
  if (existsSync(file)) {
    const stored = JSON.parse(await readFile(file, 'utf8')) as DemoKeys;
    const [secret, publishable] = await Promise.all([verifyApiKey(pool, stored.secretKey, input.clock.now()), verifyApiKey(pool, stored.publishableKey, input.clock.now())]);
    if (secret?.tenantId === input.tenantId && publishable?.tenantId === input.tenantId) return stored;
  }
  const now = input.clock.now();
  const secret = await createApiKey(pool, { tenantId: input.tenantId, kind: 'secret', name: 'demo secret key', now });
  const publishable = await createApiKey(pool, { tenantId: input.tenantId, kind: 'publishable', name: 'demo publishable key', now });
  const keys = { tenantId: input.tenantId, secretKey: secret.key, publishableKey: publishable.key };
  await mkdir(input.dataDir, { recursive: true });
  await writeFile(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return keys;
}
