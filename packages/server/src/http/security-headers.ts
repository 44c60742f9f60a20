import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** What an API answer may do in a browser: nothing but be read as data. */
const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** Features no API answer or widget script needs. */
const permissionsPolicy = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()';
/** One year, the minimum the HSTS preload list accepts. */
const hstsMaxAgeSeconds = 31_536_000;

/**
 * The headers every answer of the plugin carries, browser-grade (OWASP Secure Headers):
 * `X-Content-Type-Options: nosniff` (a JSON answer is never run as script), a referrer policy, a
 * Permissions-Policy, HSTS when the request arrived over HTTPS (as the host's `trustProxy` lets it
 * tell), and on non-script answers a CSP that forbids everything including framing
 * (`frame-ancestors 'none'`). A page the host serves sets its own CSP; this never overwrites one.
 */
export function applySecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'strict-origin-when-cross-origin');
  reply.header('permissions-policy', permissionsPolicy);
  if (request.protocol === 'https') reply.header('strict-transport-security', `max-age=${hstsMaxAgeSeconds}; includeSubDomains`);
}

function applyContentSecurityPolicy(reply: FastifyReply): void {
  const type = String(reply.getHeader('content-type') ?? '');
  // A script is loaded by other sites' pages (the widget): its CSP would be ignored, its framing moot.
  if (!reply.hasHeader('content-security-policy') && !type.includes('javascript')) reply.header('content-security-policy', apiContentSecurityPolicy);
}

/**
 * Adds the security headers to every answer of `app` (an encapsulated context: only its routes).
 * Set on arrival, because an event stream's headers leave before onSend; the CSP, which depends on
 * the content type, is added on sending.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => applySecurityHeaders(request, reply));
  app.addHook('onSend', async (_request, reply, payload) => {
    applyContentSecurityPolicy(reply);
    return payload;
  });
}
