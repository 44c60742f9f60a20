import { isGomomoError } from '@gomomo/contracts';
import { TRPCError } from '@trpc/server';
import { errorTable, type GomomoErrorCode } from './error-table.js';
import { isServerError } from './server-error.js';

export interface FieldError {
  field: string;
  message: string;
}

/** What a caller is told about a failure: the one error shape, plus the status it travels with. */
export interface PublicError {
  code: GomomoErrorCode;
  message: string;
  fields?: FieldError[];
  status: number;
  retryAfter?: number;
}

interface ZodLikeIssue {
  path: PropertyKey[];
  message: string;
}

function isZodError(error: unknown): error is { issues: ZodLikeIssue[] } {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'ZodError' && Array.isArray((error as { issues?: unknown }).issues);
}

function fieldsOf(issues: ZodLikeIssue[]): FieldError[] {
  return issues.map((issue) => ({ field: issue.path.map(String).join('.') || '(input)', message: issue.message }));
}

function make(code: GomomoErrorCode, message: string, extra: { fields?: FieldError[]; retryAfter?: number } = {}): PublicError {
  return { code, message, status: errorTable[code].http, ...extra };
}

/** Fastify's own error codes that reach the handler for malformed requests. */
const fastifyCodes: Record<string, GomomoErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
};

/** Statuses fastify (or Node's HTTP parser) answers for a malformed request before any route runs. */
const httpLevelStatuses = new Set([414, 415, 431]);

function httpLevelMessage(error: unknown, status: number): string {
  if (status === 414) return 'The URL (or a path segment of it) is too long';
  if (status === 431) return 'The request headers are too large';
  return error instanceof Error ? error.message : 'Unsupported media type: send application/json';
}

/**
 * Turns anything thrown while serving a request into the public error: the package's own code and
 * message for known errors, the field list for validation failures, and a bland `INTERNAL` for the
 * rest (whose details go to the log only, never to the caller).
 */
export function toPublicError(error: unknown): PublicError {
  const inner = error instanceof TRPCError && error.cause !== undefined ? error.cause : error;
  if (isServerError(inner)) return make(inner.code, inner.message, inner.retryAfter === undefined ? {} : { retryAfter: inner.retryAfter });
  // Matched through the registry, by shape: the agent is injected, and a second copy of a package must still map.
  if (isGomomoError(inner, 'core')) {
    if (inner.code !== 'VALIDATION') return make(inner.code, inner.message);
    const issues = (inner.details?.issues as FieldError[] | undefined) ?? [{ field: inner.field ?? '(input)', message: inner.message }];
    return make('VALIDATION', inner.message, { fields: issues });
  }
  if (isGomomoError(inner, 'agent')) {
    return make(inner.code, inner.message, inner.code === 'VALIDATION' ? { fields: [{ field: inner.field ?? '(input)', message: inner.message }] } : {});
  }
  if (isGomomoError(inner, 'channels')) {
    if (inner.code === 'VALIDATION') return make('VALIDATION', inner.message, { fields: [{ field: inner.field ?? '(input)', message: inner.message }] });
    const retryAfterMs = (inner as { retryAfterMs?: unknown }).retryAfterMs;
    if (inner.code === 'RATE_LIMITED' && typeof retryAfterMs === 'number') return make('RATE_LIMITED', inner.message, { retryAfter: Math.ceil(retryAfterMs / 1000) });
    // A provider's configuration problem is the operator's to read in the log, not the caller's.
    if (inner.code === 'CONFIGURATION') return make('CONFIGURATION', 'A channel provider is not configured correctly');
    return make(inner.code, inner.message);
  }
  if (isZodError(inner)) {
    const fields = fieldsOf(inner.issues);
    const first = fields[0];
    return make('VALIDATION', first ? `${first.field}: ${first.message}${fields.length > 1 ? ` (and ${fields.length - 1} more)` : ''}` : 'Invalid input', { fields });
  }
  if (error instanceof TRPCError) {
    if (error.code === 'NOT_FOUND') return make('ROUTE_NOT_FOUND', error.message);
    if (error.code === 'PAYLOAD_TOO_LARGE') return make('PAYLOAD_TOO_LARGE', error.message);
    if (error.code === 'BAD_REQUEST' || error.code === 'PARSE_ERROR' || error.code === 'METHOD_NOT_SUPPORTED' || error.code === 'UNSUPPORTED_MEDIA_TYPE') {
      return make('BAD_REQUEST', error.message);
    }
    if (error.code === 'TOO_MANY_REQUESTS') return make('RATE_LIMITED', error.message);
  }
  const fastifyCode = (inner as { code?: unknown } | null)?.code;
  const statusCode = (inner as { statusCode?: unknown } | null)?.statusCode;
  // HTTP-level refusals keep their own status (no tRPC code means 414, 415 or 431) in the one shape.
  if (typeof statusCode === 'number' && httpLevelStatuses.has(statusCode)) return { ...make('BAD_REQUEST', httpLevelMessage(inner, statusCode)), status: statusCode };
  if (typeof fastifyCode === 'string' && fastifyCodes[fastifyCode]) return make(fastifyCodes[fastifyCode], (inner as Error).message);
  if (statusCode === 400) return make('BAD_REQUEST', (inner as Error).message);
  if (statusCode === 413) return make('PAYLOAD_TOO_LARGE', (inner as Error).message);
  if (fastifyCode === 'FST_ERR_MAX_PARAM_LENGTH') return { ...make('BAD_REQUEST', httpLevelMessage(inner, 414)), status: 414 };
  if (statusCode === 404) return make('ROUTE_NOT_FOUND', 'No such route');
  return make('INTERNAL', 'Internal error');
}

/** The JSON body of an error response: `{ error: { code, message, fields? } }`. */
export function errorBody(error: PublicError): { error: { code: GomomoErrorCode; message: string; fields?: FieldError[] } } {
  return { error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } };
}
