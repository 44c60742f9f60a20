import type { FastifyInstance } from 'fastify';

const bodyMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Characters no header value may hold (RFC 9110 §5.5); the Fetch API's Headers throws on them. */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const invalidHeaderValue = /[\u0000\r\n]/;

function badRequest(message: string, statusCode: number): Error {
  // Shaped like fastify's own errors, so the one error table answers it (BAD_REQUEST, this status).
  return Object.assign(new Error(message), { statusCode, code: statusCode === 415 ? 'FST_ERR_CTP_INVALID_MEDIA_TYPE' : 'FST_ERR_BAD_REQUEST' });
}

/**
 * Refuses, before a route sees them, requests the adapters would choke on (a 500): a header value
 * with NUL or a line break (tRPC copies headers into a Fetch `Headers`, which throws; Node's own
 * parser refuses them, other transports may not), and a body that is not JSON (tRPC's adapter
 * otherwise tries to read form data itself and fails on fastify's parsed request) — 415. The API
 * speaks JSON only; webhooks, which take form bodies, live in another context.
 */
export function registerRequestGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    for (const [name, value] of Object.entries(request.headers)) {
      if ((Array.isArray(value) ? value : [value]).some((v) => typeof v === 'string' && invalidHeaderValue.test(v))) {
        throw badRequest(`The ${name.slice(0, 100)} header holds a character no header may hold`, 400);
      }
    }
    if (!bodyMethods.has(request.method)) return;
    const type = request.headers['content-type'];
    if (type === undefined) return;
    const mediaType = type.split(';')[0]!.trim().toLowerCase();
    if (mediaType === 'application/json' || mediaType.endsWith('+json')) return;
    throw badRequest(`Unsupported media type ${JSON.stringify(mediaType.slice(0, 100))}: send application/json`, 415);
  });
}
