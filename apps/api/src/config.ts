import { autonomyConfigFromEnv, type AutonomyConfig } from '@gomomo/autonomy';
import { deliveryConfigSchema } from '@gomomo/channels';
import { parseEncryptionKeys } from '@gomomo/core';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
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
  PORT: z.coerce.number().int().min(0, 'must be a port number (0-65535)').max(65_535, 'must be a port number (0-65535)').default(3000).describe('The port the API listens on.'),
  HOST: z.string().min(1).default('0.0.0.0').describe('The address the API binds to (0.0.0.0: every interface; 127.0.0.1: this machine only).'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string')
    .optional()
    .describe('The Postgres connection string (postgres://user:password@host:5432/db); TLS via ?sslmode=verify-full&sslrootcert=/path/ca.crt. Unset: an embedded Postgres in DATA_DIR (not in the Docker image, which requires it).'),
  DATABASE_LISTEN_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string')
    .optional()
    .describe('A direct, session-mode connection for what cannot go through a transaction pooler (PgBouncer) on DATABASE_URL: LISTEN (push across instances, outbox wake-ups), the job queue, and migrations (a session advisory lock). Unset: DATABASE_URL.'),
  /** "true" verifies the server certificate, "no-verify" encrypts without verifying; PGSSLMODE also works. */
  DATABASE_SSL: booleanish.describe('TLS to Postgres when the URL does not say: true verifies the server certificate against the system CAs, no-verify encrypts without verifying, false turns it off. PGSSLMODE also works.'),
  ADMIN_SECRET: z.string().min(16, 'must be at least 16 characters').optional().describe('The bearer secret of the admin routes (onboarding tenants, keys), 16 characters or more. Required when NODE_ENV=production; otherwise generated at each start and printed.'),
  GOMOMO_AUDIT_KEY: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .describe('The server secret (32+ characters) that keys the audit log\'s pseudonyms of phone numbers and emails (HMAC-SHA256). Required in production; elsewhere a published development key is used. Keep it stable: changing it restarts follow-up counts and unlinks old rows from searches by contact.'),
  GOMOMO_ENCRYPTION_KEYS: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      try {
        parseEncryptionKeys(value);
      } catch (error) {
        // The message names the problem and the key id, never the key material.
        ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^GOMOMO_ENCRYPTION_KEYS: /, '') });
      }
    })
    .describe('Keys that encrypt stored secrets such as calendar refresh tokens (AES-256-GCM): id:base64,id2:base64, each 32 bytes (openssl rand -base64 32). The first encrypts new values, all decrypt. No default: without it no calendar can be connected, and the server refuses to start when stored secrets need a key that is not listed. Rotate with gomomo secrets rotate.'),
  GOOGLE_CLIENT_ID: z.string().min(1).optional().describe('Google Calendar: the OAuth client id (a "Web application" client in Google Cloud). With GOOGLE_CLIENT_SECRET and GOMOMO_ENCRYPTION_KEYS, resources can be connected to Google calendars.'),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional().describe('Google Calendar: the OAuth client secret.'),
  GOOGLE_REDIRECT_URL: z.url({ message: 'must be a URL like https://api.example.com/v1/calendars/google/callback' }).optional().describe('Google Calendar: the authorized redirect URI registered with Google (default PUBLIC_BASE_URL + /v1/calendars/google/callback).'),
  GOOGLE_OAUTH_BASE_URL: z.url({ message: 'must be a URL' }).optional().describe('Google Calendar, for tests and proxies only: the authorization endpoint instead of Google\'s.'),
  GOOGLE_TOKEN_URL: z.url({ message: 'must be a URL' }).optional().describe('Google Calendar, for tests and proxies only: the token endpoint instead of Google\'s.'),
  GOOGLE_API_ROOT_URL: z.url({ message: 'must be a URL' }).optional().describe('Google Calendar, for tests and proxies only: the API root (with a trailing slash) instead of https://www.googleapis.com/.'),
  MICROSOFT_CLIENT_ID: z.string().min(1).optional().describe('Microsoft 365 calendars: the application (client) id of an Entra app registration (delegated Calendars.ReadWrite, offline_access). With MICROSOFT_CLIENT_SECRET and GOMOMO_ENCRYPTION_KEYS, resources can be connected to Outlook calendars.'),
  MICROSOFT_CLIENT_SECRET: z.string().min(1).optional().describe('Microsoft 365 calendars: the app registration\'s client secret.'),
  MICROSOFT_TENANT: z.string().regex(/^[A-Za-z0-9.-]{1,100}$/, 'must be common, organizations or a directory (tenant) id or domain').default('common').describe('Microsoft 365 calendars: which directories may sign in (common, organizations, or one directory id).'),
  MICROSOFT_REDIRECT_URL: z.url({ message: 'must be a URL like https://api.example.com/v1/calendars/microsoft/callback' }).optional().describe('Microsoft 365 calendars: the redirect URI registered with the app (default PUBLIC_BASE_URL + /v1/calendars/microsoft/callback).'),
  MICROSOFT_LOGIN_BASE_URL: z.url({ message: 'must be a URL' }).optional().describe('Microsoft 365 calendars, for tests and proxies only: the identity platform instead of https://login.microsoftonline.com (…/authorize and …/token below it).'),
  MICROSOFT_GRAPH_BASE_URL: z.url({ message: 'must be a URL' }).optional().describe('Microsoft 365 calendars, for tests and proxies only: Graph instead of https://graph.microsoft.com/v1.0.'),
  CALENDAR_MAX_STALENESS_SECONDS: z.coerce.number().int().min(60, 'must be 60-86400').max(86_400, 'must be 60-86400').default(300).describe('How old a connected calendar\'s busy time may get before the worker re-reads it (seconds, 60-86400; the hold re-checks the stored busy time either way).'),
  ICS_REFRESH_MINUTES: z.coerce.number().int().min(5, 'must be 5-1440').max(1440, 'must be 5-1440').default(15).describe('ICS feeds: how often an outside ICS URL given as busy time is fetched, and how often subscribers of a resource\'s feed are told to re-read it (minutes, 5-1440).'),
  ICS_KEEP_LAST_GOOD_HOURS: z.coerce.number().int().min(1, 'must be 1-720').max(720, 'must be 1-720').default(24).describe('ICS feeds: how long a failing outside feed\'s last good busy time is kept before it is dropped and staff are told (hours, 1-720).'),
  ICS_FEED_REQUESTS_PER_MINUTE: z.coerce.number().int().min(0, 'must be 0 (off) or more').default(60).describe('ICS feeds: requests a minute per client address to the public subscription URLs (/v1/ics/<token>.ics); 0 turns the limit off.'),
  ICS_ALLOW_LOOPBACK_URLS: onOff.describe('Development and tests only: true lets outside ICS URLs reach this host (http allowed, loopback only). Private networks and metadata addresses stay refused. Refused with NODE_ENV=production.'),
  OPENAI_API_KEY: z.string().min(1).optional().describe('Turns on the OpenAI brain; unset, the offline brain answers.'),
  OPENAI_BASE_URL: z.url({ message: 'must be a URL' }).optional().describe('Another OpenAI-compatible endpoint (a proxy, a local model server).'),
  OPENAI_MODEL: z.string().min(1).optional().describe('The model the OpenAI brain uses instead of its default.'),
  PUBLIC_BASE_URL: z.url({ message: 'must be a URL like https://api.example.com' }).optional().describe('The address customers and webhooks reach the API at (links, Twilio signatures, CORS of the demo page).'),
  BOOKING_FAR_DATE_CONFIRM_DAYS: z.coerce.number().int().min(1, 'must be 1-365').max(365, 'must be 1-365').default(30).describe('The receptionist asks again before booking further ahead than this many days (1-365).'),
  LOOKUP_MAX_FAILURES: z.coerce
    .number()
    .int()
    .min(1, 'must be 1-100')
    .max(100, 'must be 1-100')
    .default(3)
    .describe('Failed booking lookups (unknown reference, wrong contact) allowed per reference, per contact and per client address in a window, across conversations.'),
  LOOKUP_WINDOW_MINUTES: z.coerce.number().int().min(1, 'must be 1-10080').max(10_080, 'must be 1-10080').default(60).describe('The window of LOOKUP_MAX_FAILURES, in minutes.'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('How much the API logs (JSON lines on stdout).'),
  RATE_LIMIT_PER_KEY: z.coerce.number().int().min(0, 'must be 0 (off) or more').default(600).describe('Requests a minute per secret API key; 0 turns that limit off (e.g. behind a proxy that limits).'),
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(0, 'must be 0 (off) or more').default(1200).describe('Requests a minute per client address; 0 turns that limit off.'),
  RATE_LIMIT_PER_VISITOR: z.coerce.number().int().min(0, 'must be 0 (off) or more').default(120).describe('Requests a minute per publishable key and client address, so one site visitor cannot use up the key for the others; 0 off.'),
  TRUST_PROXY: z
    .string()
    .trim()
    .refine((value) => parseTrustProxy(value) !== null, { message: 'must be off, a hop count like 1, or a comma list of IP addresses/CIDRs like 10.0.0.0/8' })
    .optional()
    .describe('Which proxies may set X-Forwarded-For (the client address behind rate limits and hold quotas): off (default: the socket\'s address), a hop count (1 behind one load balancer), or a comma list of proxy addresses/CIDRs (10.0.0.0/8,127.0.0.1).'),
  NODE_ENV: z.string().optional().describe('production makes ADMIN_SECRET and GOMOMO_AUDIT_KEY required (the Docker image sets it).'),
  DATA_DIR: z.string().min(1).optional().describe('Where the embedded Postgres and the demo keys live (default .data at the repository root).'),
  AVAILABILITY_FROM_MEMORY: onOff.describe('false: availability reads busy time from Postgres on every query. Default true: from an in-process index kept current by database notifications (a stale slot is refused by the hold, which decides in Postgres).'),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional().describe('Bearer token for GET /metrics (Prometheus); without it the endpoint does not exist (404).'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url('must be a URL like http://localhost:4318').optional().describe('OpenTelemetry: traces go over OTLP/HTTP (JSON) to this base URL + /v1/traces; unset, tracing is off and its SDK is never loaded.'),

  // The autonomous side (@gomomo/autonomy): read by its own helper, checked here too so every bad
  // variable is named in the one start-up message.
  /** false: no autonomous action anywhere (the API does not start the worker). */
  AUTONOMY_ENABLED: onOff.describe('false: no autonomous action anywhere (no confirmations, reminders or follow-ups).'),
  /** false: this API process does not run the worker; run `pnpm worker` beside it. */
  AUTONOMY_IN_API: onOff.describe('false: this API process does not run the worker; run the worker beside it (pnpm worker, or node dist/worker.js in the image).'),
  WORKER_CONCURRENCY: z.coerce.number().int().positive('must be a positive integer').optional().describe('Jobs one worker process runs at once.'),
  WORKER_DATABASE_CONCURRENCY: z.coerce.number().int().positive('must be a positive integer').optional().describe("Of those, jobs that only work in the database (confirmations, reminders, follow-ups) run at most this many at once; default the machine's cores (at least 2) in a worker process of its own, half of them (at least 1) for the worker in the API process, so customers' requests keep the rest. Calendar jobs are not counted."),
  JOB_TIMEOUT_MS: z.coerce.number().int().positive('must be a positive integer').optional().describe('How long one job may run before it counts as failed.'),
  OUTBOX_SENDER: onOff.describe('false: this process does not send the outbox\'s messages (another one does).'),
  HOLD_SWEEP: onOff.describe('false: this process does not run the every-minute sweep of lapsed holds (another one must).'),

  // Delivery (@gomomo/channels). Nothing set: the log transport keeps messages in the database.
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex digits').optional().describe('Twilio account for SMS (with TWILIO_AUTH_TOKEN and a sender). Unset, with no email provider either: the log transport keeps messages in the database.'),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional().describe('Twilio auth token; also checks the signatures of Twilio\'s webhooks.'),
  TWILIO_FROM_NUMBER: e164.optional().describe('The E.164 number SMS are sent from.'),
  TWILIO_MESSAGING_SERVICE_SID: z.string().regex(/^MG[0-9a-fA-F]{32}$/, 'must look like MG followed by 32 hex digits').optional().describe('A Twilio messaging service to send from instead of one number.'),
  TWILIO_STATUS_CALLBACK_URL: z.url({ message: 'must be a URL' }).optional().describe('Where Twilio reports delivery statuses.'),
  /** How an inbound SMS is answered: auto (TwiML when fast, else the outbox), twiml, outbox. */
  SMS_REPLY_MODE: z.enum(['auto', 'twiml', 'outbox']).default('auto').describe('How an inbound SMS is answered: auto (TwiML when fast, else the outbox), twiml, outbox.'),
  /** Voice calls: off (no voice routes), gather (<Gather> webhooks) or relay (ConversationRelay over a WebSocket). */
  VOICE_TRANSPORT: z.enum(['off', 'gather', 'relay']).default('gather').describe('How the phone is answered when TWILIO_AUTH_TOKEN is set: gather (<Gather> webhooks), relay (ConversationRelay WebSocket) or off.'),
  VOICE_MAX_CONCURRENT_CALLS: z.coerce.number().int().min(1, 'must be at least 1').max(10_000, 'must be at most 10000').default(10).describe('Live calls per tenant before callers hear a busy message and get the booking page by SMS.'),
  POSTMARK_SERVER_TOKEN: z.string().min(1).optional().describe('Postmark server token: sends email through Postmark.'),
  POSTMARK_MESSAGE_STREAM: z.string().min(1).optional().describe('The Postmark message stream (default outbound).'),
  /** Basic-auth credentials put in the Postmark webhook URL; both or neither. */
  POSTMARK_WEBHOOK_USERNAME: z.string().min(1).optional().describe('Basic-auth user name in the Postmark webhook URL; both or neither.'),
  POSTMARK_WEBHOOK_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional().describe('Basic-auth password in the Postmark webhook URL (8 characters or more).'),
  SMTP_URL: z.url({ message: 'must be a URL like smtp://user:pass@host:587' }).optional().describe('Sends email over SMTP instead of Postmark (smtp://user:pass@host:587).'),
  EMAIL_FROM: z.string().min(3).optional().describe('The From address of outgoing email.'),
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
  if (data.NODE_ENV === 'production' && isOn(data.ICS_ALLOW_LOOPBACK_URLS, false)) problems.push('ICS_ALLOW_LOOPBACK_URLS: is for development and tests only; unset it in production');
  if (!data.GOOGLE_CLIENT_ID !== !data.GOOGLE_CLIENT_SECRET) problems.push(`${data.GOOGLE_CLIENT_ID ? 'GOOGLE_CLIENT_SECRET' : 'GOOGLE_CLIENT_ID'}: set both GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET, or neither`);
  if (data.GOOGLE_CLIENT_ID && !data.GOMOMO_ENCRYPTION_KEYS) problems.push('GOMOMO_ENCRYPTION_KEYS: is required with GOOGLE_CLIENT_ID (refresh tokens are stored encrypted; e.g. k1:$(openssl rand -base64 32))');
  if (!data.MICROSOFT_CLIENT_ID !== !data.MICROSOFT_CLIENT_SECRET) problems.push(`${data.MICROSOFT_CLIENT_ID ? 'MICROSOFT_CLIENT_SECRET' : 'MICROSOFT_CLIENT_ID'}: set both MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET, or neither`);
  if (data.MICROSOFT_CLIENT_ID && !data.GOMOMO_ENCRYPTION_KEYS) problems.push('GOMOMO_ENCRYPTION_KEYS: is required with MICROSOFT_CLIENT_ID (refresh tokens are stored encrypted)');
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

/**
 * How many database-only jobs the worker in the API process runs at once: WORKER_DATABASE_CONCURRENCY,
 * else half the machine's cores (at least one), where a worker process of its own takes all of them
 * (autonomy's default). On two cores, one slot instead of two raised the bookings per second of a
 * five-second burst with the worker in the API by about a tenth (medians of six alternating runs;
 * issue 15), at about the same CPU per booking: the customers booking keep the other core, and the
 * worker's confirmations of the burst finish a second or so later. It gives customers priority in
 * a burst; it does not make a booking cheaper.
 */
export function inApiDatabaseConcurrency(config: Pick<AppConfig, 'WORKER_DATABASE_CONCURRENCY'>, cores = availableParallelism()): number {
  return config.WORKER_DATABASE_CONCURRENCY ?? Math.max(1, Math.floor(cores / 2));
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
