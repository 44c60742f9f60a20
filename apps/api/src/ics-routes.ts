import { addIcsImport, createIcsSubscription, listIcsImports, removeIcsImport, renderIcsSubscription, revokeIcsSubscription } from '@gomomo/channels';
import type { Clock, Keyring, Pool } from '@gomomo/core';
import { icsSchemas, publicIcsImport, sendError, ServerError, verifyApiKey } from '@gomomo/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';

export interface IcsRoutesOptions {
  pool: Pool;
  clock: Clock;
  keyring: Keyring;
  /** Where the feed URLs point (PUBLIC_BASE_URL). */
  publicBaseUrl: string;
  /** Development and tests only: outside ICS URLs may reach this host (see `fetchIcs`). */
  allowLoopback: boolean;
  /** How often subscribers are told to re-read a feed, in minutes. */
  refreshMinutes: number;
  /** Feed requests per client address per minute (0: unlimited). */
  feedRequestsPerMinute: number;
}

// The console's `console.ics.*` validates with the same schemas.
const resourceBody = icsSchemas.resource;
const importBody = icsSchemas.newImport;
const idParam = icsSchemas.importId;
const resourceParam = icsSchemas.resource;

/** Where a subscription token's feed is served (the `GET /v1/ics/:file` route below). */
export function icsFeedUrlOf(publicBaseUrl: string, token: string): string {
  return new URL(`/v1/ics/${token}.ics`, publicBaseUrl).toString();
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ServerError('BAD_REQUEST', `${issue.path.join('.') || 'body'}: ${issue.message}`);
}

/** The tenant of the request's secret key: managing feeds is the owner's business, not a web page's. */
async function tenantOfSecretKey(request: FastifyRequest, options: IcsRoutesOptions): Promise<string> {
  const header = request.headers.authorization ?? '';
  const key = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  const identity = key ? await verifyApiKey(options.pool, key, options.clock.now()) : null;
  if (!identity) throw new ServerError('UNAUTHORIZED', 'Send the tenant\'s secret key as "Authorization: Bearer sk_live_…"');
  if (identity.kind !== 'secret') throw new ServerError('FORBIDDEN', 'Managing ICS feeds needs a secret key, not a publishable one');
  return identity.tenantId;
}

/** A fixed window per client address, in this process: the feed URL is public, so it is rationed. */
function createFeedLimiter(perMinute: number, clock: Clock) {
  const windows = new Map<string, { startedAt: number; count: number }>();
  return function admit(address: string): number | null {
    if (perMinute <= 0) return null;
    const now = clock.now().getTime();
    const current = windows.get(address);
    if (!current || now - current.startedAt >= 60_000) {
      // Forget finished windows now and then, so the map stays as small as the set of active clients.
      if (windows.size > 10_000) for (const [key, window] of windows) if (now - window.startedAt >= 60_000) windows.delete(key);
      windows.set(address, { startedAt: now, count: 1 });
      return null;
    }
    current.count += 1;
    return current.count > perMinute ? Math.ceil((current.startedAt + 60_000 - now) / 1000) : null;
  };
}

/**
 * ICS feeds (issue 18 item 4). With the tenant's secret key: `POST /v1/ics/subscriptions`
 * (create or replace a resource's feed URL; the token is shown once), `DELETE
 * /v1/ics/subscriptions/:resourceId` (revoke), and `GET|POST /v1/ics/imports`, `DELETE
 * /v1/ics/imports/:id` (outside ICS URLs as busy time; the URL is never shown back). Public:
 * `GET /v1/ics/:token.ics`, the feed itself — an unknown and a revoked token get the same 404.
 */
export function registerIcsRoutes(app: FastifyInstance, options: IcsRoutesOptions): void {
  const admit = createFeedLimiter(options.feedRequestsPerMinute, options.clock);
  const handle = (work: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      return await work(request, reply);
    } catch (error) {
      return sendError(reply, error);
    }
  };

  app.get(
    '/v1/ics/:file',
    handle(async (request, reply) => {
      reply.header('referrer-policy', 'no-referrer');
      const retryAfter = admit(request.ip);
      if (retryAfter !== null) throw new ServerError('RATE_LIMITED', 'Too many feed requests from this address; try again later', { retryAfter });
      const file = String((request.params as { file?: unknown }).file ?? '');
      const token = file.endsWith('.ics') ? file.slice(0, -4) : '';
      const feed = token ? await renderIcsSubscription(options.pool, { token, now: options.clock.now(), refreshMinutes: options.refreshMinutes }) : null;
      if (!feed) throw new ServerError('ROUTE_NOT_FOUND', 'No such feed');
      // private: the URL is a secret, so no shared cache keeps a copy; a short max-age spares us
      // the calendar apps that poll every minute, and the ETag makes the rest cheap (RFC 9111, RFC 9110 §13.1.2).
      reply.header('cache-control', 'private, max-age=300').header('etag', feed.etag);
      if (request.headers['if-none-match'] === feed.etag) return reply.code(304).send();
      return reply.type('text/calendar; charset=utf-8').send(feed.ics);
    }),
  );

  app.post(
    '/v1/ics/subscriptions',
    handle(async (request, reply) => {
      const tenantId = await tenantOfSecretKey(request, options);
      const { resourceId } = parse(resourceBody, request.body);
      const { token } = await createIcsSubscription(options.pool, { tenantId, resourceId });
      reply.header('cache-control', 'no-store');
      return reply.code(201).send({ resourceId, url: icsFeedUrlOf(options.publicBaseUrl, token) });
    }),
  );

  app.delete(
    '/v1/ics/subscriptions/:resourceId',
    handle(async (request, reply) => {
      const tenantId = await tenantOfSecretKey(request, options);
      const { resourceId } = parse(resourceParam, request.params);
      if (!(await revokeIcsSubscription(options.pool, { tenantId, resourceId }))) throw new ServerError('ROUTE_NOT_FOUND', 'resourceId: this resource has no ICS feed');
      return reply.code(204).send();
    }),
  );

  app.get(
    '/v1/ics/imports',
    handle(async (request) => {
      const tenantId = await tenantOfSecretKey(request, options);
      return { imports: (await listIcsImports(options.pool, tenantId)).map(publicIcsImport) };
    }),
  );

  app.post(
    '/v1/ics/imports',
    handle(async (request, reply) => {
      const tenantId = await tenantOfSecretKey(request, options);
      const body = parse(importBody, request.body);
      const feed = await addIcsImport({ pool: options.pool, keyring: options.keyring, allowLoopback: options.allowLoopback }, { tenantId, ...body });
      return reply.code(201).send(publicIcsImport(feed));
    }),
  );

  app.delete(
    '/v1/ics/imports/:id',
    handle(async (request, reply) => {
      const tenantId = await tenantOfSecretKey(request, options);
      const { id } = parse(idParam, request.params);
      if (!(await removeIcsImport(options.pool, { tenantId, importId: id }))) throw new ServerError('ROUTE_NOT_FOUND', 'id: this business has no such ICS feed');
      return reply.code(204).send();
    }),
  );
}
