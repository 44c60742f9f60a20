import type { ApiErrorCode } from '@gomomo/contracts';

/**
 * Every code a caller can see in `{ error: { code } }`: the codes `@gomomo/contracts`' registry
 * lists for the packages whose errors reach the API (core, agent, channels, server).
 */
export type GomomoErrorCode = ApiErrorCode;

/** tRPC's own error codes that we map to (a subset of TRPC_ERROR_CODE_KEY). */
export type TrpcCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNPROCESSABLE_CONTENT'
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL_SERVER_ERROR'
  | 'BAD_GATEWAY'
  | 'SERVICE_UNAVAILABLE';

export interface ErrorMapping {
  http: number;
  trpc: TrpcCode;
  /** One line for the docs: what the caller should understand and do. */
  doc: string;
}

/**
 * THE table from every error code (core's BookingError, the agent's AgentError, channels'
 * ChannelError, our own) to an HTTP status and a tRPC code. Keyed by the registry's type, so a code
 * added there without a status here does not compile. Nothing else in the server decides a status.
 * A test checks it against the README in both directions and pins the count.
 */
export const errorTable: Record<GomomoErrorCode, ErrorMapping> = {
  // @gomomo/core
  VALIDATION: { http: 400, trpc: 'BAD_REQUEST', doc: 'The input is malformed; `fields` lists each bad field and what is wrong with it.' },
  NOT_FOUND: { http: 404, trpc: 'NOT_FOUND', doc: 'No such tenant, service, resource, hold or booking for your key.' },
  SLOT_UNAVAILABLE: { http: 409, trpc: 'CONFLICT', doc: 'The time is taken or not bookable; fetch availability again.' },
  HOLD_EXPIRED: { http: 409, trpc: 'CONFLICT', doc: 'The hold lapsed before it was confirmed; hold the slot again.' },
  HOLD_NOT_ACTIVE: { http: 409, trpc: 'CONFLICT', doc: 'The hold was already confirmed, released, or belongs to another session.' },
  CONTACT_MISMATCH: { http: 403, trpc: 'FORBIDDEN', doc: 'The email or phone given does not match the booking.' },
  ALREADY_CANCELLED: { http: 409, trpc: 'CONFLICT', doc: 'The booking was already cancelled.' },
  APPOINTMENT_STARTED: { http: 409, trpc: 'CONFLICT', doc: 'The appointment has started or is over; it can no longer be cancelled or moved (no override).' },
  CHANGE_DEADLINE_PASSED: { http: 409, trpc: 'CONFLICT', doc: "The service's change deadline has passed; staff may send `overrideDeadline: true` with a secret key." },
  BUSY: { http: 503, trpc: 'SERVICE_UNAVAILABLE', doc: 'The database stayed contended; nothing was written, retry shortly.' },
  CONFLICT: { http: 409, trpc: 'CONFLICT', doc: 'A unique value (such as a tenant slug) is already in use.' },
  INTAKE_INCOMPLETE: { http: 422, trpc: 'UNPROCESSABLE_CONTENT', doc: "The service's required intake questions are not all answered for this hold; the message names them. Answer them, then confirm again." },
  ENCRYPTION_KEY_MISSING: { http: 500, trpc: 'INTERNAL_SERVER_ERROR', doc: 'A stored secret needs an encryption key the server is not configured with; the operator must restore it.' },
  // @gomomo/agent
  SESSION_TENANT_MISMATCH: { http: 403, trpc: 'FORBIDDEN', doc: 'The session id is already in use; start a new session id.' },
  SESSION_CHANNEL_MISMATCH: { http: 409, trpc: 'CONFLICT', doc: 'The session id belongs to a conversation on another channel.' },
  TENANT_NOT_FOUND: { http: 404, trpc: 'NOT_FOUND', doc: 'The tenant of the key no longer exists.' },
  CONVERSATION_NOT_HELD: { http: 409, trpc: 'CONFLICT', doc: 'Staff replied to or handed back a conversation they do not hold; take it over first.' },
  // @gomomo/channels (webhooks, phone numbers); VALIDATION, NOT_FOUND and RATE_LIMITED are shared
  CONFIGURATION: { http: 500, trpc: 'INTERNAL_SERVER_ERROR', doc: 'A channel provider is missing settings it needs; the operator must fix the configuration.' },
  PERMANENT: { http: 502, trpc: 'BAD_GATEWAY', doc: 'The email or SMS provider refused the message for good (bad address, inactive number).' },
  TRANSIENT: { http: 503, trpc: 'SERVICE_UNAVAILABLE', doc: 'The email or SMS provider failed or timed out; retry later.' },
  SIGNATURE: { http: 403, trpc: 'FORBIDDEN', doc: 'A webhook failed authentication (X-Twilio-Signature or Postmark\'s Basic credentials).' },
  // @gomomo/server
  UNAUTHORIZED: { http: 401, trpc: 'UNAUTHORIZED', doc: 'The API key (or admin secret) is missing, unknown or revoked.' },
  FORBIDDEN: { http: 403, trpc: 'FORBIDDEN', doc: 'The key is valid but not for this: a publishable key on a secret-only call, or from an origin the tenant did not allow.' },
  SESSION_NOT_FOUND: { http: 404, trpc: 'NOT_FOUND', doc: 'No conversation of your key\'s business has this session token (or id); send without one to start a new conversation.' },
  ROUTE_NOT_FOUND: { http: 404, trpc: 'NOT_FOUND', doc: 'No such route or procedure.' },
  BAD_REQUEST: { http: 400, trpc: 'BAD_REQUEST', doc: 'The request itself is malformed (not JSON, wrong content type).' },
  PAYLOAD_TOO_LARGE: { http: 413, trpc: 'PAYLOAD_TOO_LARGE', doc: 'The request body is larger than the server accepts.' },
  RATE_LIMITED: { http: 429, trpc: 'TOO_MANY_REQUESTS', doc: 'Too many requests for this key or address; wait `Retry-After` seconds.' },
  IDEMPOTENCY_MISMATCH: { http: 422, trpc: 'UNPROCESSABLE_CONTENT', doc: 'This Idempotency-Key was used before with a different request; use a new key.' },
  IDEMPOTENCY_IN_PROGRESS: { http: 409, trpc: 'CONFLICT', doc: 'A request with this Idempotency-Key is still running; retry shortly.' },
  UNAVAILABLE: { http: 503, trpc: 'SERVICE_UNAVAILABLE', doc: 'This server has no receptionist configured (or it is starting); retry later.' },
  INTERNAL: { http: 500, trpc: 'INTERNAL_SERVER_ERROR', doc: 'An unexpected failure on our side; it was logged.' },
};

/** True when `code` is one the table knows. */
export function isGomomoErrorCode(code: unknown): code is GomomoErrorCode {
  return typeof code === 'string' && Object.hasOwn(errorTable, code);
}
