import { z } from 'zod';

const booleanish = z.enum(['true', 'false', '1', '0', 'no-verify']).optional();

/** Every environment variable the API reads, validated at start. */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0, 'must be a port number (0-65535)').max(65_535, 'must be a port number (0-65535)').default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string')
    .optional(),
  /** "true" verifies the server certificate, "no-verify" encrypts without verifying; PGSSLMODE also works. */
  DATABASE_SSL: booleanish,
  ADMIN_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url({ message: 'must be a URL' }).optional(),
  OPENAI_MODEL: z.string().min(1).optional(),
  PUBLIC_BASE_URL: z.url({ message: 'must be a URL like https://api.example.com' }).optional(),
  BOOKING_FAR_DATE_CONFIRM_DAYS: z.coerce.number().int().min(1, 'must be 1-365').max(365, 'must be 1-365').default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Requests a minute per API key and per client address; 0 turns that limit off (e.g. behind a proxy that limits). */
  RATE_LIMIT_PER_KEY: z.coerce.number().int().min(0, 'must be 0 (off) or more').default(600),
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(0, 'must be 0 (off) or more').default(1200),
  NODE_ENV: z.string().optional(),
  /** Where the embedded Postgres and the demo keys live (default `.data` at the repository root). */
  DATA_DIR: z.string().min(1).optional(),
});

export type AppConfig = z.output<typeof configSchema>;

/** Thrown with one line per bad variable, so a misconfigured deploy says everything wrong at once. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads the configuration from `env`. In production ADMIN_SECRET is required; elsewhere it may be generated. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  // Empty strings (VAR= in a .env file) mean "not set".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = configSchema.safeParse(present);
  const problems = result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  if (result.success && result.data.NODE_ENV === 'production' && !result.data.ADMIN_SECRET) problems.push('ADMIN_SECRET: is required in production');
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}

/** The `ssl` option for pg from DATABASE_SSL; undefined leaves it to the URL's sslmode or PGSSLMODE. */
export function sslOption(config: AppConfig): boolean | { rejectUnauthorized: false } | undefined {
  switch (config.DATABASE_SSL) {
    case 'true':
    case '1':
      return true;
    case 'no-verify':
      return { rejectUnauthorized: false };
    case 'false':
    case '0':
      return false;
    default:
      return undefined;
  }
}
