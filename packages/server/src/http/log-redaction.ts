// What the request log may hold. Access logs are kept longer and seen by more people than the
// database, so nothing that opens an account or names a person goes there: API keys, the admin
// secret (only ever in a header, which is not logged), session, stream, device and link tokens, ICS feed tokens, email
// addresses, phone numbers, message text. tRPC puts a query's whole input (and a subscription's
// connection params) in the URL, so query strings are dropped outright, on every route.

const patterns: Array<[RegExp, string]> = [
  // API keys (sk_live_…, pk_live_…), session tokens (gms_…), stream tickets (gmt_…), device tokens
  // (gmd_…) and offer and handoff link tokens (gmo_…, which a pasted link carries).
  [/\b(sk|pk)_(live|test)_[0-9A-Za-z]+/g, '$1_$2_[redacted]'],
  [/\bgm[stdo]_[A-Za-z0-9_-]+/g, 'gm_[redacted]'],
  // ICS subscription tokens (ics_…): the feed URL is the credential.
  [/\bics_[A-Za-z0-9_-]{20,}/g, 'ics_[redacted]'],
  // An email address, also URL-encoded (%40).
  [/[A-Za-z0-9._%+-]+(@|%40)[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[email]'],
  // An E.164 phone number, also URL-encoded (%2B); ITU-T E.164 allows at most 15 digits.
  [/(\+|%2B)[1-9][0-9]{6,14}/gi, '[phone]'],
];

/** The text with keys, session tokens, tickets, email addresses and phone numbers masked. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of patterns) result = result.replace(pattern, replacement);
  return result;
}

/** A URL as the log may show it: the path (masked), and only a marker where the query string was. */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  return redactSecrets(path) + (queryAt === -1 ? '' : '?[redacted]');
}

interface LoggableRequest {
  method?: string;
  url?: string;
  host?: string;
  hostname?: string;
  ip?: string;
  socket?: { remotePort?: number } | null;
}

/** Fastify's request serializer, with the URL made safe (no query string, secrets masked). */
export function serializeRequest(request: LoggableRequest): { method: string; url: string; hostname: string; remoteAddress: string; [key: string]: unknown } {
  return {
    method: request.method ?? '',
    url: redactUrl(request.url ?? ''),
    hostname: request.host ?? request.hostname ?? '',
    remoteAddress: request.ip ?? '',
    remotePort: request.socket?.remotePort,
  };
}

/** An error for the log: its type, code and masked message and stack (a driver's message may quote a value). */
export function serializeError(error: unknown): { type: string; message: string; stack: string; [key: string]: unknown } {
  if (!(error instanceof Error)) return { type: typeof error, message: redactSecrets(String(error)), stack: '' };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: redactSecrets(error.message),
    stack: redactSecrets(error.stack ?? ''),
    ...(typeof code === 'string' ? { code } : {}),
    ...(error.cause !== undefined ? { cause: serializeError(error.cause) } : {}),
  };
}

/**
 * Log serializers that keep secrets and personal data out of the request log. The plugin applies
 * them to its own routes; pass them to your fastify logger too, for everything else:
 *
 * @example
 * Fastify({ logger: { level: 'info', serializers: logSerializers } })
 */
export const logSerializers = { req: serializeRequest, err: serializeError };
