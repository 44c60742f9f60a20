import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOfflineBrain, createOpenAIBrain, createReceptionist, issueHandoffLink, issueOfferLink } from '@gomomo/agent';
import { createRequire } from 'node:module';
import { assertSecretKeysPresent, connectDatabase, createBookingEngine, isBookingError, parseEncryptionKeys, createBusyIndex, createPool, listServices, migrate, migrationStatus, seedDemo, systemClock, type Clock, type Database } from '@gomomo/core';
import { startAutonomy, type AutonomyHandle } from '@gomomo/autonomy';
import { createCalendarProvider } from '@gomomo/channels';
import { createPolicyEngine, setAuditPseudonymKey } from '@gomomo/policy';
import { gomomoHostOptions, gomomoPlugin, isWidgetScriptBuilt, logSerializers, redactUrl, registerSecurityHeaders, sendError, ServerError } from '@gomomo/server';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { registerCalendarRoutes } from './calendar-routes.js';
import { googleOptionsOf, icsImportOptionsOf, microsoftOptionsOf } from './calendars.js';
import { icsFeedUrlOf, registerIcsRoutes } from './ics-routes.js';
import { ConfigError, inApiDatabaseConcurrency, isOn, parseTrustProxy, sslOption, type AppConfig } from './config.js';
import { ensureDemoKeys, type DemoKeys } from './demo-keys.js';
import { sendCodeThroughOutbox } from './identity-codes.js';
import { demoPageContentSecurityPolicy, renderDemoPage } from './demo-page.js';
import { countAvailabilityAnswers, countEngineWrites, countTurns, createAppMetrics, registerMetrics } from './observability/metrics.js';
import { echoRequestId, requestIdFor } from './observability/request-id.js';
import { startTracing, traceEngine, traceJob, traceQueries, traceRequests, traceTurns, type Tracing } from './observability/tracing.js';

/**
 * The repository root, where `.data/` lives by default: the nearest folder above this file with a
 * pnpm-workspace.yaml (this file runs from src/ with tsx and from dist/ once built), else the
 * working folder.
 */
export const repoRoot = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(from: string): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
  }
  return process.cwd();
}

/**
 * The widget's script-tag bundle (`@gomomo/widget/widget.js` → its dist/widget.js). Resolved through
 * the package's own package.json so a bundle that is not built yet is a path we can report, not a
 * resolution error.
 */
export const widgetScriptPath = path.join(path.dirname(createRequire(import.meta.url).resolve('@gomomo/widget/package.json')), 'dist', 'widget.js');

/** The staff console's build (`@gomomo/console` → its dist/), served at /console; missing files answer 503 with a hint. */
export const consoleDir = path.join(path.dirname(createRequire(import.meta.url).resolve('@gomomo/console/package.json')), 'dist');

export interface AppInfo {
  database: Database;
  adminSecret: string;
  isAdminSecretGenerated: boolean;
  /** Present when the demo tenant was seeded (no DATABASE_URL). */
  demo: (DemoKeys & { tenantName: string; tenantSlug: string }) | null;
  /** False when the widget bundle is missing (`pnpm build` makes it). */
  isWidgetBuilt: boolean;
  /** The worker running inside this process (job runner + outbox sender), or null (AUTONOMY_IN_API=false). */
  autonomy: AutonomyHandle | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    appInfo: AppInfo;
  }
}

function localOrigins(config: AppConfig): string[] {
  const origins = [`http://localhost:${config.PORT}`, `http://127.0.0.1:${config.PORT}`, 'http://localhost:3000'];
  if (config.PUBLIC_BASE_URL) origins.push(new URL(config.PUBLIC_BASE_URL).origin);
  return [...new Set(origins)];
}

/**
 * Builds the hosted API without listening: database (embedded when no DATABASE_URL), migrations,
 * the demo tenant and its keys (embedded only), the receptionist, and the gomomo plugin.
 */
export async function buildApp(config: AppConfig, options: { clock?: Clock } = {}): Promise<FastifyInstance> {
  const clock = options.clock ?? systemClock;
  const dataDir = config.DATA_DIR ?? path.join(repoRoot, '.data');
  const ssl = sslOption(config);
  const database = await connectDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: path.join(dataDir, 'postgres'),
    max: 20,
    applicationName: 'gomomo-api',
    ...(ssl === undefined ? {} : { ssl }),
  });
  // LISTEN needs a session of its own: through PgBouncer in transaction mode it goes direct, and
  // so does the in-process job queue (graphile-worker LISTENs on its connections).
  const listenPool = config.DATABASE_LISTEN_URL ? createPool(config.DATABASE_LISTEN_URL, { max: isOn(config.AUTONOMY_IN_API, true) ? config.autonomy.concurrency + 4 : 2, applicationName: 'gomomo-api-listen', ...(ssl === undefined ? {} : { ssl }) }) : undefined;
  let app: FastifyInstance | undefined;
  let tracing: Tracing | null = null;
  try {
    const { pool } = database;
    // Migrations hold a session advisory lock: they too need the direct connection.
    await migrate(listenPool ?? pool);
    // No default key (issue 18): stored secrets that no configured key can read stop the start
    // here, naming the key id, rather than failing one calendar request at a time later.
    const keyring = parseEncryptionKeys(config.GOMOMO_ENCRYPTION_KEYS);
    await assertSecretKeysPresent(pool, keyring).catch((error: unknown) => {
      throw isBookingError(error, 'ENCRYPTION_KEY_MISSING') ? new ConfigError([`GOMOMO_ENCRYPTION_KEYS: ${error.message}`]) : error;
    });
    // Availability may reuse a tenant's settings and services for a second: two round trips fewer per query.
    const google = googleOptionsOf(config);
    const microsoft = microsoftOptionsOf(config);
    // On by default (issue 15): the index trades a few milliseconds of staleness (the hold still
    // decides, so never a double booking) for availability that costs per slot returned rather
    // than per appointment stored, with no database round trip once a tenant is loaded.
    // AVAILABILITY_FROM_MEMORY=false reads Postgres on every query instead.
    const busyIndex = isOn(config.AVAILABILITY_FROM_MEMORY, true) ? createBusyIndex({ pool }) : undefined;
    const metrics = createAppMetrics({ pool });
    // Traces only when an OTLP endpoint is configured: otherwise the SDK is never even loaded.
    tracing = config.OTEL_EXPORTER_OTLP_ENDPOINT ? await startTracing({ endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT }) : null;
    if (tracing) traceQueries(pool);
    const countedEngine = countEngineWrites(createBookingEngine({ pool, clock, catalogCacheMs: 1000, ...(busyIndex ? { busyIndex } : {}) }), metrics);
    const engine = tracing ? traceEngine(countedEngine) : countedEngine;
    // Audit pseudonyms of phones and emails are keyed with the server's secret (policy's published
    // development key when none is set, which loadConfig allows only outside production).
    if (config.GOMOMO_AUDIT_KEY) setAuditPseudonymKey(config.GOMOMO_AUDIT_KEY);
    const policy = createPolicyEngine({ pool, clock });
    const brain = config.OPENAI_API_KEY
      ? createOpenAIBrain({ apiKey: config.OPENAI_API_KEY, ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}), ...(config.OPENAI_MODEL ? { model: config.OPENAI_MODEL } : {}) })
      : createOfflineBrain();
    const brainName = config.OPENAI_API_KEY ? 'openai' : 'offline';
    const countedReceptionist = countTurns(createReceptionist({ pool, engine, policy, brain, clock, codeSender: sendCodeThroughOutbox, config: { farDateConfirmDays: config.BOOKING_FAR_DATE_CONFIRM_DAYS, lookupMaxFailures: config.LOOKUP_MAX_FAILURES, lookupWindowMs: config.LOOKUP_WINDOW_MINUTES * 60_000 } }), { metrics, brain: brainName });
    const receptionist = tracing ? traceTurns(countedReceptionist, brainName) : countedReceptionist;
    const adminSecret = config.ADMIN_SECRET ?? randomBytes(24).toString('base64url');

    let demo: AppInfo['demo'] = null;
    if (database.isEmbedded) {
      const tenant = await seedDemo(pool);
      demo = { ...(await ensureDemoKeys(pool, { tenantId: tenant.id, dataDir, origins: localOrigins(config), clock })), tenantName: tenant.name, tenantSlug: tenant.slug };
    }

    // X-Forwarded-For is believed only from the proxies TRUST_PROXY names: from anyone else it would
    // let a client pick its own address and walk past the per-address limits.
    app = Fastify({ logger: { level: config.LOG_LEVEL, serializers: logSerializers }, trustProxy: parseTrustProxy(config.TRUST_PROXY) ?? false, forceCloseConnections: 'idle', requestIdHeader: false, genReqId: requestIdFor, ...gomomoHostOptions() });
    if (tracing) traceRequests(app);
    echoRequestId(app);
    // Before the plugin is registered: root hooks reach only the contexts registered after them.
    const answerNotFound = (request: FastifyRequest, reply: FastifyReply) => sendError(reply, new ServerError('ROUTE_NOT_FOUND', `No route ${request.method} ${redactUrl(request.url).split('?')[0]}`));
    registerMetrics(app, { metrics, token: config.METRICS_TOKEN, notFound: answerNotFound });
    // The host's own answers (the demo page, health, 404s) get the plugin's browser-grade headers too.
    registerSecurityHeaders(app);
    // Registered first because fastify runs a context's onClose hooks last-registered first: the
    // worker and the webhooks' pending replies (registered later) are done before the pool closes.
    // The tracer's hook runs after the database has closed (onClose runs last-registered first), so the last spans are flushed.
    const openTracing = tracing;
    if (openTracing) app.addHook('onClose', () => openTracing.shutdown());
    app.addHook('onClose', async () => {
      await listenPool?.end();
      await database.close();
    });
    const isWidgetBuilt = await isWidgetScriptBuilt(widgetScriptPath);
    if (!isWidgetBuilt) app.log.warn(`gomomo: the chat widget is not built (${widgetScriptPath} is missing); run "pnpm build" to serve /widget.js`);
    const appInfo: AppInfo = { database, adminSecret, isAdminSecretGenerated: !config.ADMIN_SECRET, demo, isWidgetBuilt, autonomy: null };
    app.decorate('appInfo', appInfo);
    const isRateLimited = config.RATE_LIMIT_PER_KEY > 0 || config.RATE_LIMIT_PER_IP > 0 || config.RATE_LIMIT_PER_VISITOR > 0;
    await app.register(gomomoPlugin, {
      pool,
      listenPool,
      engine,
      receptionist,
      clock,
      adminSecret,
      publicBaseUrl: config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`,
      // A limit of 0 means off; a huge max is how one of the two limits is left out.
      widgetScriptPath,
      consoleDir,
      // Webhooks are mounted when their credentials are configured; Twilio signs the public URL.
      ...(config.TWILIO_AUTH_TOKEN
        ? {
            twilio: {
              authToken: config.TWILIO_AUTH_TOKEN,
              replyMode: config.SMS_REPLY_MODE,
              ...(config.VOICE_TRANSPORT === 'off'
                ? {}
                : {
                    voice: {
                      transport: config.VOICE_TRANSPORT,
                      maxConcurrentCalls: config.VOICE_MAX_CONCURRENT_CALLS,
                      issueHandoffLink: (input: { tenantId: string; sessionId: string }) => issueHandoffLink(pool, { ...input, now: clock.now() }),
                    },
                  }),
            },
          }
        : {}),
      ...(config.POSTMARK_WEBHOOK_USERNAME && config.POSTMARK_WEBHOOK_PASSWORD
        ? { postmark: { username: config.POSTMARK_WEBHOOK_USERNAME, password: config.POSTMARK_WEBHOOK_PASSWORD } }
        : {}),
      rateLimit: isRateLimited
        ? {
            perKey: config.RATE_LIMIT_PER_KEY || Number.MAX_SAFE_INTEGER,
            perIp: config.RATE_LIMIT_PER_IP || Number.MAX_SAFE_INTEGER,
            perVisitor: config.RATE_LIMIT_PER_VISITOR || Number.MAX_SAFE_INTEGER,
          }
        : false,
      ...(busyIndex ? { busyIndex } : {}),
      ...(google || microsoft ? { calendars: { keyring, google, microsoft } } : {}),
      // The console's ICS feeds (console.ics.*) call what the /v1/ics routes below call.
      ics: {
        keyring,
        allowLoopback: isOn(config.ICS_ALLOW_LOOPBACK_URLS, false),
        feedUrlOf: (token: string) => icsFeedUrlOf(config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`, token),
        keepLastGoodMs: config.ICS_KEEP_LAST_GOOD_HOURS * 3_600_000,
      },
    });

    countAvailabilityAnswers(metrics, app.gomomo.availabilityAnswers);
    registerCalendarRoutes(app, { pool, clock, keyring, google, microsoft });
    registerIcsRoutes(app, {
      pool,
      clock,
      keyring,
      publicBaseUrl: config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`,
      allowLoopback: isOn(config.ICS_ALLOW_LOOPBACK_URLS, false),
      refreshMinutes: config.ICS_REFRESH_MINUTES,
      feedRequestsPerMinute: config.ICS_FEED_REQUESTS_PER_MINUTE,
    });

    app.get('/health', async () => ({ status: 'ok' }));
    app.get('/ready', async (_request, reply) => {
      try {
        const status = await migrationStatus(pool);
        if (status.pending.length > 0) return reply.code(503).send({ status: 'migrations pending', pending: status.pending });
        return { status: 'ready' };
      } catch {
        return reply.code(503).send({ status: 'database unreachable' });
      }
    });
    app.get('/', async (_request, reply) => {
      if (!demo) return reply.type('text/plain').send('gomomo API — see /openapi.json');
      const services = await listServices(pool, demo.tenantId);
      // A fresh nonce per answer lets exactly this page's inline scripts run (CSP Level 3 §6.1.3).
      const nonce = randomBytes(16).toString('base64');
      const page = renderDemoPage({ publishableKey: demo.publishableKey, tenantName: demo.tenantName, tenantSlug: demo.tenantSlug, isWidgetBuilt: await isWidgetScriptBuilt(widgetScriptPath), services, nonce });
      reply.header('content-security-policy', demoPageContentSecurityPolicy(nonce));
      return reply.type('text/html; charset=utf-8').send(page);
    });
    app.setNotFoundHandler(answerNotFound);

    // The autonomous side in this process (the default): confirmations, reminders, follow-ups and
    // the outbox sender. With AUTONOMY_ENABLED=false it still runs, so events are receipted and
    // queued replies still go out, but every autonomous action is refused by its gate; turning it on
    // later then does not replay a backlog of stale confirmations.
    if (isOn(config.AUTONOMY_IN_API, true)) {
      const log = app.log;
      const ics = icsImportOptionsOf(config, keyring);
      appInfo.autonomy = await startAutonomy({
        pool,
        listenPool,
        // The worker and the outbox sender wake on the event hub's LISTEN connection (one per process).
        notifications: app.gomomo.hub.notifications,
        // Half the cores' worth of database slots: the customers' requests share this process.
        config: { ...config.autonomy, databaseConcurrency: inApiDatabaseConcurrency(config) },
        clock,
        engine,
        policy,
        issueOfferLink,
        ...(google || microsoft || ics ? { calendar: createCalendarProvider({ pool, clock, keyring, google: google ?? undefined, microsoft: microsoft ?? undefined, ics, maxStalenessMs: config.CALENDAR_MAX_STALENESS_SECONDS * 1000, onError: (error) => log.warn({ err: error }, 'calendar busy refresh failed') }) } : {}),
        log: (line) => log.info(line),
        // The job's log line carries the correlation id of the request that caused its event.
        hooks: { onEventHandled: (info) => log.info(info, 'domain event handled'), ...(tracing ? { aroundJob: traceJob } : {}) },
      });
      app.addHook('onClose', () => appInfo.autonomy?.stop());
    }
    return app;
  } catch (error) {
    // app.close() releases the plugin's LISTEN connection, then closes the database (its onClose).
    await (app ? app.close() : Promise.all([listenPool?.end(), database.close()]));
    if (!app) await tracing?.shutdown();
    throw error;
  }
}
