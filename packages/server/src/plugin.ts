import { createBookingEngine, systemClock, type BookingEngine, type BusyIndex, type Clock, type Pool } from '@gomomo/core';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { fastifyTRPCOpenApiPlugin, generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { errorBody, toPublicError } from './errors/to-public-error.js';
import { registerTenantCors } from './http/cors.js';
import { logSerializers as safeSerializers } from './http/log-redaction.js';
import { registerRateLimits, type RateLimitOptions } from './http/rate-limit.js';
import { registerRequestGuard } from './http/request-guard.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { registerStreamCap, type StreamCapOptions } from './http/stream-cap.js';
import { registerWidgetScript } from './http/widget-script.js';
import { registerAvailabilityFastPath, type AvailabilityAnswerStats } from './http/availability-fast-path.js';
import { registerChannelWebhooks, type PostmarkWebhookOptions, type TwilioWebhookOptions } from './webhooks/channel-webhooks.js';
import { createEventHub, type EventHub } from './push/event-hub.js';
import { createKeyCache } from './keys/key-cache.js';
import { appRouter, type AppRouter } from './router.js';
import { trpcResponseHeaders } from './http/response-cache.js';
import { registerMutationFastPath, type MutationAnswerStats } from './http/mutation-fast-path.js';
import { credentialOf, originOf, sessionTokenOf, toOpaqueDeps, type RequestContext, type ServerDeps } from './trpc/context.js';
import type { Receptionist } from './trpc/receptionist.js';
import { consoleContextOf } from './console/context.js';
import { registerConsoleFiles } from './console/console-files.js';
import type { CalendarConnectOptions, IcsConsoleOptions } from './console/calendar-options.js';

export interface GomomoPluginOptions {
  /** The database (as the owner role; tenant work switches to `gomomo_app` per transaction). */
  pool: Pool;
  /**
   * A direct, session-mode pool for the instance's LISTEN connection, when `pool` goes through a
   * transaction pooler (PgBouncer), where LISTEN does not work. Default: `pool`.
   */
  listenPool?: Pool | undefined;
  /** Default: `createBookingEngine({ pool, clock })`. */
  engine?: BookingEngine;
  /** The chat receptionist (`createReceptionist` from @gomomo/agent); without it chat answers UNAVAILABLE. */
  receptionist?: Receptionist;
  clock?: Clock;
  /** Guards tenant onboarding and key management. At least 16 characters. */
  adminSecret: string;
  /** Where callers reach this server, for the OpenAPI document's `servers` (default http://localhost:3000). */
  publicBaseUrl?: string;
  /** Limits per key and per IP, or `false` to leave rate limiting to a proxy. */
  rateLimit?: RateLimitOptions | false;
  /** Largest accepted request body in bytes (default 64 KiB). */
  bodyLimit?: number;
  /** Mount point of the tRPC router (default `/trpc`). */
  trpcPrefix?: `/${string}`;
  /** Mount point of the REST routes (default `/api/v1`); the document is at `/openapi.json`. */
  restPrefix?: `/${string}`;
  /** Mounts webhook routes (channels' SMS/voice) inside the plugin, behind its error handling. */
  webhooks?: (app: FastifyInstance, deps: ServerDeps) => Promise<void> | void;
  /** Called for unexpected errors (default: the fastify logger). */
  onError?: (error: unknown) => void;
  /**
   * The built chat widget bundle to serve at `GET /widget.js` (e.g. the file behind
   * `@gomomo/widget/widget.js`). Unset: no route. A missing file answers 503 with a hint, not a crash.
   */
  widgetScriptPath?: string;
  /**
   * Twilio's webhooks: `POST /twilio/sms` (inbound SMS → the receptionist, consent keywords),
   * `POST /twilio/status` (delivery receipts) and, with `voice`, the phone (`/twilio/voice…`).
   * Needs `publicBaseUrl` and `receptionist`.
   */
  twilio?: TwilioWebhookOptions;
  /** Postmark's webhook `POST /postmark/webhook` (deliveries, bounces, complaints), Basic auth. */
  postmark?: PostmarkWebhookOptions;
  /** Caps on concurrently open event streams per key (default 100 per secret key, 10 per publishable key and address). */
  streams?: StreamCapOptions;
  /** The most calls one tRPC batch may carry (default 10); each call counts against the rate limits. */
  maxBatchSize?: number;
  /**
   * The built staff console (`@gomomo/console`'s `dist` folder) to serve under `/console`. Unset: no
   * console pages (its procedures under `console.*` still answer).
   */
  consoleDir?: string;
  /**
   * Calendar providers an owner may connect from the console (`console.calendars.*`): the keyring
   * that encrypts their tokens and each configured provider. The provider's callback route is the
   * host's (apps/api), finishing with `findCalendarOwner`. Unset: the console offers none.
   */
  calendars?: CalendarConnectOptions;
  /**
   * ICS feeds an owner manages from the console (`console.ics.*`): the keyring that encrypts outside
   * feeds' URLs, and where the host serves a subscription feed. Unset: the console offers none.
   */
  ics?: IcsConsoleOptions;
  /**
   * The busy index the `engine` was given (core's `createBusyIndex`): the plugin's event hub feeds
   * it every domain-event notification, and resets it after the LISTEN connection reconnects.
   */
  busyIndex?: BusyIndex;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** gomomo's live parts, for the host app (health checks, shutdown, mounting more routes). */
    gomomo: {
      deps: ServerDeps;
      hub: EventHub;
      router: AppRouter;
      openApiDocument: OpenAPIObject;
      /** Availability answers sent with bytes serialised for an earlier request vs anew (for metrics). */
      availabilityAnswers: Readonly<AvailabilityAnswerStats>;
      /** Booking calls (hold, confirm) answered without tRPC's HTTP adapter (for metrics). */
      mutationAnswers: Readonly<MutationAnswerStats>;
    };
  }
}

/** Sends any error in gomomo's one shape, `{ error: { code, message, fields? } }`, with its status. */
export function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  const mapped = toPublicError(error);
  if (mapped.retryAfter !== undefined) reply.header('retry-after', String(mapped.retryAfter));
  return reply.code(mapped.status).send(errorBody(mapped));
}

/** Builds the OpenAPI 3.1 document of the REST routes. */
export function createOpenApiDocument(options: { baseUrl: string }): OpenAPIObject {
  return generateOpenApiDocument(appRouter, {
    title: 'gomomo API',
    description: 'Book, reschedule and cancel appointments, and chat with the receptionist. Authenticate with "Authorization: Bearer <key>".',
    version: '0.0.0',
    openApiVersion: '3.1.0',
    baseUrl: options.baseUrl,
    securitySchemes: { Authorization: { type: 'http', scheme: 'bearer', description: 'A secret (sk_live_…) or publishable (pk_live_…) key' } },
  });
}

/** Rewrites trpc-to-openapi's error bodies into the one error shape. */
function toRestErrorPayload(payload: unknown): unknown {
  if (typeof payload !== 'string') return payload;
  try {
    const body = JSON.parse(payload) as { message?: string; data?: { code?: string; fields?: unknown } };
    if (!body.data?.code) return payload;
    return JSON.stringify({ error: { code: body.data.code, message: body.message, ...(body.data.fields ? { fields: body.data.fields } : {}) } });
  } catch {
    return payload;
  }
}

// fastify types route serializers as returning strings; pino takes objects, as its own root serializers do.
const logSerializers = safeSerializers as unknown as Record<string, (value: unknown) => string>;

const plugin: FastifyPluginAsync<GomomoPluginOptions> = async (app, options) => {
  if (options.adminSecret.length < 16) throw new Error('gomomoPlugin: adminSecret must be at least 16 characters');
  const clock = options.clock ?? systemClock;
  const engine = options.engine ?? createBookingEngine({ pool: options.pool, clock, ...(options.busyIndex ? { busyIndex: options.busyIndex } : {}) });
  const onError = options.onError ?? ((error: unknown) => app.log.error({ err: error }, 'gomomo: unexpected error'));
  const keys = createKeyCache({ pool: options.pool });
  const { busyIndex } = options;
  const hub = createEventHub({
    pool: options.pool,
    listenPool: options.listenPool,
    onError,
    onKeyChange: (tenantId) => keys.forget(tenantId),
    ...(busyIndex ? { onDomainEvent: (tenantId: string, id: number) => void busyIndex.notify(tenantId, id), onReconnect: () => busyIndex.reset() } : {}),
  });
  const deps: ServerDeps = { pool: options.pool, engine, receptionist: options.receptionist, clock, adminSecret: options.adminSecret, hub, keys, publicBaseUrl: options.publicBaseUrl, calendars: options.calendars, ics: options.ics };
  const trpcPrefix = options.trpcPrefix ?? '/trpc';
  const restPrefix = options.restPrefix ?? '/api/v1';
  const openApiDocument = createOpenApiDocument({ baseUrl: `${(options.publicBaseUrl ?? 'http://localhost:3000').replace(/\/$/, '')}${restPrefix}` });

  const availabilityAnswers: AvailabilityAnswerStats = { reused: 0, serialized: 0 };
  const mutationAnswers: MutationAnswerStats = { answered: 0 };
  /** What tRPC tells of a call's error: only the unexpected ones are reported. */
  const reportInternal = (error: unknown) => {
    if (toPublicError(error).code === 'INTERNAL') onError(error);
  };

  await hub.start();
  app.decorate('gomomo', { deps, hub, router: appRouter, openApiDocument, availabilityAnswers, mutationAnswers });
  // preClose, not onClose: open SSE streams would otherwise keep the server from closing.
  app.addHook('preClose', () => hub.close());

  function createContext({ req, res, info }: { req: FastifyRequest; res?: FastifyReply; info?: { connectionParams?: Record<string, string | undefined> | null } }): RequestContext {
    const idempotencyKey = req.headers['idempotency-key'];
    return {
      deps: toOpaqueDeps(deps),
      credential: credentialOf(req.headers),
      sessionToken: sessionTokenOf(req.headers),
      // EventSource cannot send headers: a stream presents a single-use ticket (chat.streamTicket), never a key.
      streamTicket: typeof info?.connectionParams?.ticket === 'string' ? info.connectionParams.ticket : null,
      origin: originOf(req.headers),
      idempotencyKey: typeof idempotencyKey === 'string' ? idempotencyKey : null,
      clientAddress: req.ip,
      onIdentity: (identity) => (req.gomomoIdentity = identity),
      ...consoleContextOf(req, res),
    };
  }

  // Outside the API's child: a script tag needs no key, CORS or per-key limits, only the file.
  const { widgetScriptPath } = options;
  if (widgetScriptPath) {
    await app.register(async (scripts) => {
      registerSecurityHeaders(scripts);
      registerWidgetScript(scripts, { scriptPath: widgetScriptPath });
    });
  }

  const { consoleDir } = options;
  if (consoleDir) {
    await app.register(async (pages) => {
      registerSecurityHeaders(pages);
      registerConsoleFiles(pages, { dir: consoleDir });
    });
  }

  const handleError = (error: unknown, reply: FastifyReply) => {
    const mapped = toPublicError(error);
    if (mapped.code === 'INTERNAL') onError(error);
    return sendError(reply, error);
  };
  const bodyLimit = options.bodyLimit ?? 64 * 1024;

  // Vendors' webhooks live beside the API, not in it: they are authenticated by signature, and
  // Twilio's and Postmark's shared senders must not trip the per-IP limits or the CORS lookups.
  if (options.twilio || options.postmark) {
    let drainWebhooks = async (): Promise<void> => {};
    await app.register(async (hooks) => {
      hooks.addHook('onRoute', (route) => {
        route.bodyLimit ??= bodyLimit;
      });
      hooks.setErrorHandler((error, _request, reply) => handleError(error, reply));
      registerSecurityHeaders(hooks);
      ({ drain: drainWebhooks } = await registerChannelWebhooks(hooks, {
        pool: options.pool,
        engine,
        receptionist: options.receptionist,
        clock,
        publicBaseUrl: options.publicBaseUrl,
        twilio: options.twilio,
        postmark: options.postmark,
        hub,
        onError,
      }));
    }, { logSerializers });
    // On the host's own context, not the child's: fastify closes children after their parent, and
    // the host closes its pool in its onClose. SMS replies still in the works finish first.
    app.addHook('onClose', () => drainWebhooks());
  }

  // Routes live in an encapsulated child, so hooks, limits and the error handler stay ours and
  // never touch the host app's own routes; only the `gomomo` decorator above is shared.
  await app.register(async (api) => {
    api.addHook('onRoute', (route) => {
      route.bodyLimit ??= bodyLimit;
    });
    api.setErrorHandler((error, _request, reply) => handleError(error, reply));
    registerSecurityHeaders(api);
    registerRequestGuard(api);
    registerTenantCors(api, options.pool, { restPrefix });
    const maxBatchSize = options.maxBatchSize ?? 10;
    if (options.rateLimit !== false) await registerRateLimits(api, { ...options.rateLimit, maxBatchSize });
    registerStreamCap(api, options.streams);
    registerAvailabilityFastPath(api, { deps, trpcPrefix, restPrefix, stats: availabilityAnswers });
    registerMutationFastPath(api, { router: appRouter, trpcPrefix, createContext, onError: reportInternal, headersOf: trpcResponseHeaders, stats: mutationAnswers });

    await api.register(fastifyTRPCPlugin, {
      prefix: trpcPrefix,
      trpcOptions: {
        router: appRouter,
        createContext,
        maxBatchSize,
        // tRPC's answer replaces our Vary with its own; appended here, caches still key by Origin.
        responseMeta: (call) => ({ headers: trpcResponseHeaders(call) }),
        onError: ({ error }) => reportInternal(error),
      } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
    });

    await api.register(async (rest) => {
      rest.addHook('onSend', async (_request, reply, payload) => (reply.statusCode >= 400 ? toRestErrorPayload(payload) : payload));
      // trpc-to-openapi's handler calls reply.send() and resolves undefined; with async onSend hooks
      // still running, fastify then sent the answer a second time (ERR_HTTP_HEADERS_SENT in the log).
      // Resolving with the reply tells fastify the answer is on its way.
      rest.addHook('onRoute', (route) => {
        const handler = route.handler;
        route.handler = async function (this: unknown, request, reply) {
          await handler.call(this as never, request, reply);
          return reply;
        };
      });
      await rest.register(fastifyTRPCOpenApiPlugin, { basePath: restPrefix, router: appRouter, createContext: createContext as never });
    });

    api.get('/openapi.json', async () => openApiDocument);
    await options.webhooks?.(api, deps);
    // Our routes' request log never shows a query string, key, token, email or phone (see log-redaction.ts).
  }, { logSerializers });
};

/**
 * Mounts the whole receptionist API into a fastify 5 app: the tRPC router under `/trpc` (with SSE
 * subscriptions), REST under `/api/v1` with its OpenAPI document at `/openapi.json`, per-tenant
 * keys, CORS and rate limits, and push across instances through Postgres LISTEN/NOTIFY.
 *
 * @example
 * await app.register(gomomoPlugin, { pool, adminSecret: process.env.ADMIN_SECRET!, receptionist });
 */
export const gomomoPlugin = fp(plugin, { fastify: '5.x', name: '@gomomo/server' });
