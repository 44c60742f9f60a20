import { getTRPCErrorFromUnknown, getTRPCErrorShape, transformTRPCResponse, type TRPCError } from '@trpc/server';
import { getHTTPStatusCode } from '@trpc/server/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppRouter } from '../router.js';
import type { RequestContext } from '../trpc/context.js';
import { t } from '../trpc/init.js';
import { asksForStream } from './stream-accept.js';

/** The procedures answered here: a booking's two calls, and a web chat's message, its every turn. */
const fastMutations = ['bookings.hold', 'bookings.confirm', 'chat.send'] as const;
type FastMutation = (typeof fastMutations)[number];

/** How the fast path's answers went since start (for tests and metrics). */
export interface MutationAnswerStats {
  /** Calls answered here, successes and errors alike. */
  answered: number;
}

export interface MutationFastPathOptions {
  router: AppRouter;
  trpcPrefix: string;
  createContext: (opts: { req: FastifyRequest; res: FastifyReply }) => RequestContext;
  /** tRPC's `onError`: told every error a call ends in, as tRPC's own handler tells it. */
  onError: (error: TRPCError) => void;
  /** tRPC's `responseMeta` headers for one call's answer. */
  headersOf: (call: { paths: readonly string[]; type: string; errors: readonly unknown[] }) => Record<string, string | string[]>;
  stats: MutationAnswerStats;
}

/** True for a JSON body, read as tRPC's own check reads Content-Type: the media type, any case, before `;`. */
function isJson(contentType: string | undefined): boolean {
  return contentType?.toLowerCase().split(';', 1)[0]?.trim() === 'application/json';
}

/**
 * The call's input, as tRPC reads a non-batched POST: the JSON body, or nothing. Undefined for a
 * body tRPC itself must refuse (not JSON), so it answers in its own words.
 */
function inputOf(body: unknown): { input: unknown } | undefined {
  if (body === undefined || body === '') return { input: undefined };
  if (typeof body !== 'string') return undefined;
  try {
    return { input: JSON.parse(body) as unknown };
  } catch {
    return undefined;
  }
}

/**
 * Answers the booking's two tRPC calls (`POST /trpc/bookings.hold` and `bookings.confirm`, not
 * batched) and a web chat's message (`chat.send`, as the widget sends it) without tRPC's HTTP
 * adapter, which builds a Fetch `Request` (with its AbortSignal) for every call, reads the body
 * again from it and builds a `Response` to copy back into fastify's reply: about a third of the
 * API's CPU per booking in `pnpm bench:api`, and about a sixth of a chat turn's (issue 15).
 *
 * The call itself is tRPC's: a server-side caller of the same router runs the procedure with all
 * its middleware (error mapping, the text guard, the key check), its input and output validation
 * and the idempotency of `Idempotency-Key`. Only the HTTP framing is done here, from tRPC's own
 * parts: the `{ result: { data } }` or `{ error }` body (`getTRPCErrorShape`, the router's error
 * formatter), the status (`getHTTPStatusCode`), tRPC's `Vary` and the plugin's `responseMeta`
 * headers, and `onError`. Anything else — a batch, a query string, a body that is not JSON — is left
 * to tRPC. A test compares every answer with the batched call's, which tRPC answers itself.
 */
export function registerMutationFastPath(app: FastifyInstance, options: MutationFastPathOptions): void {
  const { router, createContext, onError, headersOf, stats } = options;
  const callerOf = t.createCallerFactory(router);
  type Caller = ReturnType<typeof callerOf>;
  // Each procedure's call through a server-side caller.
  const callOf: Record<FastMutation, (caller: Caller, input: unknown) => Promise<unknown>> = {
    'bookings.hold': (caller, input) => caller.bookings.hold(input as never),
    'bookings.confirm': (caller, input) => caller.bookings.confirm(input as never),
    'chat.send': (caller, input) => caller.chat.send(input as never),
  };
  const byUrl = new Map<string, FastMutation>(fastMutations.map((path) => [`${options.trpcPrefix}/${path}`, path]));

  function send(reply: FastifyReply, call: { path: FastMutation; status: number; body: unknown; errors: readonly unknown[] }): FastifyReply {
    const { vary = [], ...headers } = headersOf({ paths: [call.path], type: 'mutation', errors: call.errors });
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    // tRPC's own Vary first, then the plugin's appended, as tRPC's adapter does.
    reply.header('vary', ['trpc-accept, accept', ...[vary].flat()].join(', '));
    // Bytes, as tRPC's adapter sends them: a string would get fastify's `; charset=utf-8`.
    reply.type('application/json');
    return reply.code(call.status).send(Buffer.from(JSON.stringify(transformTRPCResponse(router._def._config, call.body as never))));
  }

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST') return;
    const path = byUrl.get(request.url);
    if (!path || !isJson(request.headers['content-type']) || asksForStream(request.headers)) return;
    const parsed = inputOf(request.body);
    if (!parsed) return;
    stats.answered++;
    const ctx = createContext({ req: request, res: reply });
    const caller = callerOf(ctx);
    try {
      const data = await callOf[path](caller, parsed.input);
      return send(reply, { path, status: 200, body: { result: { data } }, errors: [] });
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      onError(error);
      const body = { error: getTRPCErrorShape({ config: router._def._config, error, type: 'mutation', path, input: parsed.input, ctx }) };
      return send(reply, { path, status: getHTTPStatusCode([body], [error]), body, errors: [error] });
    }
  });
}
