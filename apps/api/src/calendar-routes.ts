import { finishGoogleConnect, finishMicrosoftConnect, startGoogleConnect, startMicrosoftConnect, type GoogleCalendarOptions, type MicrosoftConnectOptions } from '@gomomo/channels';
import type { Clock, Keyring, Pool } from '@gomomo/core';
import { appendAudit } from '@gomomo/policy';
import { findCalendarOwner, sendError, ServerError, verifyApiKey, type CalendarOwner } from '@gomomo/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

export interface CalendarRoutesOptions {
  pool: Pool;
  clock: Clock;
  keyring: Keyring;
  google: GoogleCalendarOptions | null;
  microsoft: MicrosoftConnectOptions | null;
}

const connectBody = z.object({ resourceId: z.uuid({ message: 'must be a resource id (uuid)' }), calendarId: z.string().min(1).max(1024).optional() });
const finishBody = z.object({ state: z.string().min(20).max(200), code: z.string().min(1).max(2000) });

/**
 * Who may start and finish a connection through the API, and what the OAuth state is bound to:
 * the tenant's secret key (the flow is finished by POSTing the code with the same key, so a code
 * obtained in another tenant's flow cannot be completed here). Owners connect from the console
 * instead, bound to their session (`console.calendars.connect`), and the GET callback finishes
 * those directly.
 */
async function bindingOf(request: FastifyRequest, pool: Pool, clock: Clock): Promise<{ tenantId: string; boundTo: string }> {
  const header = request.headers.authorization ?? '';
  const key = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  const identity = key ? await verifyApiKey(pool, key, clock.now()) : null;
  if (!identity) throw new ServerError('UNAUTHORIZED', 'Send the tenant\'s secret key as "Authorization: Bearer sk_live_…"');
  if (identity.kind !== 'secret') throw new ServerError('FORBIDDEN', 'Connecting a calendar needs a secret key, not a publishable one');
  return { tenantId: identity.tenantId, boundTo: `api-key:${identity.keyId}` };
}

/** A page that re-opens the callback URL from this origin (meta refresh: no script, so no CSP exception). */
function sameSiteRetryPage(url: string): string {
  const again = `${url}${url.includes('?') ? '&' : '?'}again=1`;
  const escaped = again.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  return `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${escaped}"><title>Connecting your calendar…</title><p>Connecting your calendar… <a href="${escaped}">Continue</a></p>`;
}

/**
 * Finishes a console owner's connection: the state must be bound to this very session (another
 * session's or a key's flow is refused and left for its starter), then back to the console.
 */
async function finishAsOwner(
  reply: FastifyReply,
  input: { flow: ConnectFlow; provider: string; owner: CalendarOwner; state: string; code: string; pool: Pool; clock: Clock },
): Promise<FastifyReply> {
  try {
    const connection = await input.flow.finish({ state: input.state, code: input.code, boundTo: input.owner.boundTo });
    if (connection.tenantId !== input.owner.tenantId) throw new ServerError('FORBIDDEN', 'state: was issued to another business');
    await appendAudit(input.pool, {
      tenantId: connection.tenantId,
      actor: 'staff',
      channel: 'system',
      action: 'calendar.connect',
      outcome: 'succeeded',
      subjectId: connection.resourceId,
      reason: `${input.provider} calendar connected from the console`,
      details: { staffId: input.owner.staffId, provider: input.provider, connectionId: connection.id },
      occurredAt: input.clock.now(),
    });
    return reply.redirect(`/console#/calendars/connected/${input.provider}`, 303);
  } catch (error) {
    return sendError(reply, error);
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ServerError('BAD_REQUEST', `${issue.path.join('.') || 'body'}: ${issue.message}`);
}

/** One provider's start and finish of the OAuth flow. */
interface ConnectFlow {
  start(input: { tenantId: string; resourceId: string; boundTo: string; calendarId?: string | undefined }): Promise<{ authorizationUrl: string; expiresAt: Date }>;
  finish(input: { state: string; code: string; boundTo: string }): Promise<{ id: string; tenantId: string; resourceId: string; provider: string; calendarId: string; status: string }>;
}

/**
 * POST /v1/calendars/{google,microsoft}/connect, GET and POST …/callback, for each configured
 * provider. Answers never carry a token.
 */
export function registerCalendarRoutes(app: FastifyInstance, options: CalendarRoutesOptions): void {
  const base = { pool: options.pool, clock: options.clock, keyring: options.keyring };
  const flows: Record<string, ConnectFlow> = {};
  const { google, microsoft } = options;
  if (google) flows.google = { start: (input) => startGoogleConnect({ ...base, google }, input), finish: (input) => finishGoogleConnect({ ...base, google }, input) };
  if (microsoft) flows.microsoft = { start: (input) => startMicrosoftConnect({ ...base, microsoft }, input), finish: (input) => finishMicrosoftConnect({ ...base, microsoft }, input) };
  for (const [provider, flow] of Object.entries(flows)) registerFlow(app, options, { provider, flow });
}

function registerFlow(app: FastifyInstance, options: CalendarRoutesOptions, { provider, flow }: { provider: string; flow: ConnectFlow }): void {
  app.post(`/v1/calendars/${provider}/connect`, async (request, reply) => {
    try {
      const { tenantId, boundTo } = await bindingOf(request, options.pool, options.clock);
      const body = parse(connectBody, request.body);
      const started = await flow.start({ tenantId, resourceId: body.resourceId, boundTo, ...(body.calendarId ? { calendarId: body.calendarId } : {}) });
      return { authorizationUrl: started.authorizationUrl, expiresAt: started.expiresAt.toISOString() };
    } catch (error) {
      return sendError(reply, error);
    }
  });
  // Where the provider sends the browser back. With the console session of the owner who started
  // the flow it finishes here and returns to the console's calendar settings; otherwise it shows the
  // one-time code to finish with the key that started it (the code is useless without the PKCE
  // verifier, which never leaves the server).
  app.get(`/v1/calendars/${provider}/callback`, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    if (query.error) return reply.code(400).type('text/plain; charset=utf-8').send(`The calendar was not connected: ${String(query.error).slice(0, 100)}. Start again.`);
    const state = typeof query.state === 'string' ? query.state.slice(0, 200) : '';
    const code = typeof query.code === 'string' ? query.code.slice(0, 2000) : '';
    if (!state || !code) return reply.code(400).type('text/plain; charset=utf-8').send('state and code are required (this page is where the provider returns after consent).');
    const owner = await findCalendarOwner(options.pool, { cookieHeader: request.headers.cookie, clock: options.clock });
    if (owner) return finishAsOwner(reply, { flow, provider, owner, state, code, pool: options.pool, clock: options.clock });
    // The session cookie is SameSite=Strict, and the provider's redirect is a cross-site navigation
    // that does not carry it: look again once from this page (a same-site navigation, which does).
    if (query.again !== '1') return reply.type('text/html; charset=utf-8').send(sameSiteRetryPage(request.url));
    return reply.type('text/plain; charset=utf-8').send(
      `Almost done. Finish within ten minutes with the secret key that started the connection:\n\n` +
        `curl -X POST ${request.protocol}://${request.host}/v1/calendars/${provider}/callback \\\n  -H 'authorization: Bearer sk_live_…' -H 'content-type: application/json' \\\n  -d '${JSON.stringify({ state, code })}'\n`,
    );
  });
  app.post(`/v1/calendars/${provider}/callback`, async (request, reply) => {
    try {
      const { tenantId, boundTo } = await bindingOf(request, options.pool, options.clock);
      const body = parse(finishBody, request.body);
      const connection = await flow.finish({ ...body, boundTo });
      if (connection.tenantId !== tenantId) throw new ServerError('FORBIDDEN', 'state: was issued to another key');
      return { connectionId: connection.id, resourceId: connection.resourceId, provider: connection.provider, calendarId: connection.calendarId, status: connection.status };
    } catch (error) {
      return sendError(reply, error);
    }
  });
}
