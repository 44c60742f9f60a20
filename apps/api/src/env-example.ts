import { defaultAutonomyConfig } from '@gomomo/autonomy';
import { z } from 'zod';
import { configSchema } from './config.js';

/** Defaults that live in @gomomo/autonomy's own reader, not in our schema. */
const externalDefaults: Record<string, string> = {
  AUTONOMY_ENABLED: String(defaultAutonomyConfig.enabled),
  AUTONOMY_IN_API: 'true',
  WORKER_CONCURRENCY: String(defaultAutonomyConfig.concurrency),
  JOB_TIMEOUT_MS: String(defaultAutonomyConfig.jobTimeoutMs),
  OUTBOX_SENDER: String(defaultAutonomyConfig.runSender),
};

/** Read by compose.yaml only (the bundled Postgres), never by the app. */
const composeOnly: { name: string; value: string; description: string }[] = [
  { name: 'POSTGRES_PASSWORD', value: '', description: 'compose.yaml: the password of the bundled Postgres (default gomomo-local-only; set your own).' },
  { name: 'POSTGRES_PORT', value: '', description: 'compose.yaml: the port the bundled Postgres listens on at 127.0.0.1 (default 5433, beside a host Postgres on 5432).' },
  { name: 'DATABASE_CA_FILE', value: '', description: 'compose.prod.yaml: the CA file mounted at /run/secrets/db-ca.crt for sslrootcert (default ./db-ca.crt).' },
];

/** The schema's default for a field, if it has one. */
function defaultOf(name: string, field: z.ZodType): string | undefined {
  if (field instanceof z.ZodDefault) return String(field.def.defaultValue);
  return externalDefaults[name];
}

/** Wraps a description into `# ` comment lines of at most ~100 characters. */
function commentLines(text: string): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(/\s+/)) {
    if (line.length + word.length + 1 > 100 && line !== '#') {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

/**
 * `.env.example`, rendered from the configuration schema: every variable with what it does and its
 * default, each left commented out so the default applies until someone sets it.
 */
export function renderEnvExample(): string {
  const out = [
    '# gomomo configuration: every variable the API and the worker read, with its default.',
    '# Generated from apps/api/src/config.ts by `pnpm env:example`; do not edit by hand.',
    '# Copy to .env and uncomment what you set. Empty means unset.',
    '',
  ];
  for (const [name, field] of Object.entries(configSchema.shape) as [string, z.ZodType][]) {
    const description = field.description;
    if (!description) throw new Error(`${name} has no .describe() text in apps/api/src/config.ts`);
    const fallback = defaultOf(name, field);
    out.push(...commentLines(fallback === undefined ? description : `${description} Default: ${fallback}.`));
    out.push(`# ${name}=${fallback ?? ''}`, '');
  }
  out.push('# ---- Docker Compose only ----', '');
  for (const variable of composeOnly) out.push(...commentLines(variable.description), `# ${variable.name}=${variable.value}`, '');
  return `${out.join('\n').trimEnd()}\n`;
}
