import { autonomyConfigFromEnv, type AutonomyConfig } from '@gomomo/autonomy';
import { deliveryConfigSchema } from '@gomomo/channels';
import { isIP } from 'node:net';
import { z } from 'zod';

const booleanish = z.enum(['true', 'false', '1', '0', 'no-verify']).optional();
const onOff = z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: 'must be true or false' }).optional();
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number like +15551234567');

/** What fastify's `trustProxy` takes: off, proxy addresses/CIDRs, or a test per hop (0 = the socket's peer). */
export type TrustProxy = false | string[] | ((address: string, hop: number) => boolean);

/**
 * fastify's `trustProxy` from TRUST_PROXY, or null when the value is none of the accepted forms. A
 * hop count becomes a function because fastify 5 fails closed on a bare number: the nearest `n`
 * hops (the socket's peer first) are trusted, as Express does.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy | null {
  if (value === undefined || ['off', 'false', '0', 'no'].includes(value.toLowerCase())) return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops <= 32 ? (_address: string, hop: number) => hop < hops : null;
  }
  const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  const isAddressOrCidr = (entry: string) => {
    const [address, prefix, ...rest] = entry.split('/');
    if (rest.length > 0 || !address || isIP(address) === 0) return false;
    return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (isIP(address) === 4 ? 32 : 128));
  };
  return entries.length > 0 && entries.every(isAddressOrCidr) ? entries : null;
}

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
  /**
   * The server secret audit-log pseudonyms of phone numbers and emails are keyed with (HMAC-SHA256).
   * Required in production; elsewhere @gomomo/policy's published development key is used. Keep it
   * stable: changing it restarts follow-up counts and unlinks old rows from searches by contact.
   */
  GOMOMO_AUDIT_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url({ message: 'must be a URL' }).optional(),
  OPENAI_MODEL: z.string().min(1).optional(),
  PUBLIC_BASE_URL: z.url({ message: 'must be a URL like https://api.example.com' }).optional(),
  BOOKING_FAR_DATE_CONFIRM_DAYS: z.coerce.number().int().min(1, 'must be 1-365').max(365, 'must be 1-365').default(30),
  /** Failed booking lookups (unknown reference, wrong contact) per reference, contact and client address per window. */
  LOOKUP_MAX_FAILURES: z.coerce.number().int().min(1, 'must be 1-100').max(100, 'must be 1-100').default(3),
  LOOKUP_WINDOW_MINUTES: z.coerce.number().int().min(1, 'must be 1-10080').max(10_080, 'must be 1-10080').default(60),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Requests a minute per API key and per client address; 0 turns that limit off (e.g. behind a proxy that limits). */
  RATE_LIMIT_PER_KEY: z.coerce.number().int().min(0, 'must be 0 (off) or more').default(600),
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(0, 'must be 0 (off) or more').default(1200),
  /** Requests a minute per publishable key and client address: each site visitor's own budget; 0 off. */
  RATE_LIMIT_PER_VISITOR: z.coerce.number().int().min(0, 'must be 0 (off) or more').default(120),
  /**
   * Which proxies may set X-Forwarded-For (the client address behind rate limits and hold quotas):
   * off (default: the socket's address), a hop count ("1" behind one load balancer), or a comma list
   * of proxy addresses/CIDRs ("10.0.0.0/8, 127.0.0.1").
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .refine((value) => parseTrustProxy(value) !== null, { message: 'must be off, a hop count like 1, or a comma list of IP addresses/CIDRs like 10.0.0.0/8' })
    .optional(),
  NODE_ENV: z.string().optional(),
  /** Bearer token for GET /metrics (Prometheus); without it the endpoint does not exist (404). */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** OpenTelemetry: traces go over OTLP/HTTP (JSON) to this base URL + /v1/traces; unset = tracing off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url('must be a URL like http://localhost:4318').optional(),
  /** Where the embedded Postgres and the demo keys live (default `.data` at the repository root). */
  DATA_DIR: z.string().min(1).optional(),
  /** true: availability reads busy time from an in-process index kept current by notifications (issue 15). */
  AVAILABILITY_FROM_MEMORY: onOff,

  // The autonomous side (@gomomo/autonomy): read by its own helper, checked here too so every bad
  // variable is named in the one start-up message.
  /** false: no autonomous action anywhere (the API does not start the worker). */
  AUTONOMY_ENABLED: onOff,
  /** false: this API process does not run the worker; run `pnpm worker` beside it. */
  AUTONOMY_IN_API: onOff,
  WORKER_CONCURRENCY: z.coerce.number().int().positive('must be a positive integer').optional(),
  JOB_TIMEOUT_MS: z.coerce.number().int().positive('must be a positive integer').optional(),
  OUTBOX_SENDER: onOff,
  /** false: this process does not run the every-minute sweep of lapsed holds (another one must). */
  HOLD_SWEEP: onOff,

  // Delivery (@gomomo/channels). Nothing set: the log transport keeps messages in the database.
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex digits').optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  TWILIO_FROM_NUMBER: e164.optional(),
  TWILIO_MESSAGING_SERVICE_SID: z.string().regex(/^MG[0-9a-fA-F]{32}$/, 'must look like MG followed by 32 hex digits').optional(),
  TWILIO_STATUS_CALLBACK_URL: z.url({ message: 'must be a URL' }).optional(),
  /** How an inbound SMS is answered: auto (TwiML when fast, else the outbox), twiml, outbox. */
  SMS_REPLY_MODE: z.enum(['auto', 'twiml', 'outbox']).default('auto'),
  POSTMARK_SERVER_TOKEN: z.string().min(1).optional(),
  POSTMARK_MESSAGE_STREAM: z.string().min(1).optional(),
  /** Basic-auth credentials put in the Postmark webhook URL; both or neither. */
  POSTMARK_WEBHOOK_USERNAME: z.string().min(1).optional(),
  POSTMARK_WEBHOOK_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  SMTP_URL: z.url({ message: 'must be a URL like smtp://user:pass@host:587' }).optional(),
  EMAIL_FROM: z.string().min(3).optional(),
});

export type AppConfig = z.output<typeof configSchema> & {
  /** @gomomo/autonomy's settings, from its own `autonomyConfigFromEnv`. */
  autonomy: AutonomyConfig;
};

/** Rules that span variables. */
function crossChecks(data: z.output<typeof configSchema>): string[] {
  const problems: string[] = [];
  if (data.NODE_ENV === 'production' && !data.ADMIN_SECRET) problems.push('ADMIN_SECRET: is required in production');
  if (data.NODE_ENV === 'production' && !data.GOMOMO_AUDIT_KEY) problems.push('GOMOMO_AUDIT_KEY: is required in production (e.g. openssl rand -base64 32)');
  if (data.TWILIO_ACCOUNT_SID && !data.TWILIO_AUTH_TOKEN) problems.push('TWILIO_AUTH_TOKEN: is required with TWILIO_ACCOUNT_SID');
  if (data.TWILIO_ACCOUNT_SID && !data.TWILIO_FROM_NUMBER && !data.TWILIO_MESSAGING_SERVICE_SID) {
    problems.push('TWILIO_FROM_NUMBER: is required with TWILIO_ACCOUNT_SID (or set TWILIO_MESSAGING_SERVICE_SID)');
  }
  if (!data.POSTMARK_WEBHOOK_USERNAME !== !data.POSTMARK_WEBHOOK_PASSWORD) {
    problems.push(`${data.POSTMARK_WEBHOOK_USERNAME ? 'POSTMARK_WEBHOOK_PASSWORD' : 'POSTMARK_WEBHOOK_USERNAME'}: set both POSTMARK_WEBHOOK_USERNAME and POSTMARK_WEBHOOK_PASSWORD, or neither`);
  }
  if (data.POSTMARK_SERVER_TOKEN && data.SMTP_URL) problems.push('SMTP_URL: set POSTMARK_SERVER_TOKEN or SMTP_URL, not both');
  return problems;
}

/** autonomy's own reading of the environment, with its complaint (if any) as a problem line. */
function readAutonomyConfig(env: Record<string, string | undefined>, problems: string[]): AutonomyConfig | null {
  try {
    const autonomy = autonomyConfigFromEnv(env);
    const delivery = deliveryConfigSchema.safeParse(autonomy.delivery);
    if (!delivery.success) for (const issue of delivery.error.issues) problems.push(`delivery ${issue.path.join('.')}: ${issue.message}`);
    return autonomy;
  } catch (error) {
    const { field, message } = error as { field?: string; message: string };
    problems.push(field && !message.startsWith(field) ? `${field}: ${message}` : message);
    return null;
  }
}

/** Reads an on/off variable already checked by the schema; unset means `fallback`. */
export function isOn(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return ['true', '1', 'yes', 'on'].includes(value);
}

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
  const problems = result.success ? crossChecks(result.data) : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  // Only once our own schema passed: autonomy's helper would repeat complaints about the same variables.
  const autonomy = result.success ? readAutonomyConfig(present, problems) : null;
  if (problems.length > 0 || !result.success || !autonomy) throw new ConfigError(problems);
  return { ...result.data, autonomy };
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
