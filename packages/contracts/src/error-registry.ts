// THE registry of every error code a gomomo package raises on purpose, with what it means. Codes
// are scoped by package ({ package, code }): core's NOT_FOUND and channels' NOT_FOUND are two
// entries, each with its own meaning. The code alone is what an API caller sees (`error.code`), so
// the wire stays as it was; the server's error table is keyed by the codes of the packages whose
// errors reach the API, so a new code there without a status does not compile.

/** Each package's codes and their meaning. Add a code here before throwing it. */
export const errorRegistry = {
  core: {
    VALIDATION: 'The input is malformed; `field` names what is wrong.',
    NOT_FOUND: 'The tenant, service, resource, hold or booking does not exist (for this tenant).',
    SLOT_UNAVAILABLE: 'The requested time is taken, outside opening hours, or otherwise not bookable.',
    HOLD_EXPIRED: 'The hold ran past its time-to-live before it was confirmed.',
    HOLD_NOT_ACTIVE: 'The hold was already confirmed, released or belongs to another session.',
    CONTACT_MISMATCH: 'The email or phone given does not match the booking.',
    ALREADY_CANCELLED: 'The booking was cancelled before this request.',
    APPOINTMENT_STARTED: 'The appointment has started (or is over); it can no longer be cancelled or moved.',
    CHANGE_DEADLINE_PASSED: "The service's change deadline (no cancellations or moves within N hours of the start) has passed.",
    BUSY: 'The database stayed too contended to finish; retrying later is safe.',
    CONFLICT: 'A unique value (such as a slug) is already in use.',
    INTAKE_INCOMPLETE: "A held slot's service asks required intake questions that are not answered yet; the message names them.",
    ENCRYPTION_KEY_MISSING: 'A stored secret is sealed under a key id GOMOMO_ENCRYPTION_KEYS does not contain (or no key is configured); the message names the id.',
  },
  policy: {
    VALIDATION: 'The input is malformed; `field` names what is wrong.',
    DUPLICATE_TOOL: 'A tool registry was given two tools with the same name.',
    NOT_FOUND: 'The rule (or rule version) does not exist for this tenant.',
    VERSION_CONFLICT: 'The rule changed since the caller read it (optimistic concurrency); re-read and retry.',
  },
  agent: {
    VALIDATION: 'The turn input is malformed; `field` names what is wrong.',
    SESSION_TENANT_MISMATCH: 'The session id belongs to a conversation of another tenant.',
    SESSION_CHANNEL_MISMATCH: 'The session id belongs to a conversation on another channel.',
    TENANT_NOT_FOUND: 'The tenant of the turn does not exist.',
    CONVERSATION_NOT_HELD: 'A staff member replied to or handed back a conversation they do not hold; take it over first.',
  },
  channels: {
    VALIDATION: 'The input is malformed; `field` names the part.',
    CONFIGURATION: 'A provider is missing settings it needs.',
    PERMANENT: 'The provider refused the message for good (bad address, inactive recipient); do not retry.',
    TRANSIENT: 'The provider failed or timed out; retry later.',
    RATE_LIMITED: 'The provider or our own per-recipient limit asked us to slow down; retry after `retryAfterMs`.',
    SIGNATURE: 'A webhook failed authentication.',
    NOT_FOUND: 'The webhook refers to a message we never sent.',
  },
  autonomy: {
    VALIDATION: 'A job payload or setting is malformed; `field` names it.',
    TIMEOUT: 'A job ran past its time limit; it will be retried.',
    UNKNOWN_TOOL: 'A tool outside the closed orchestrator registry was asked for.',
  },
  server: {
    UNAUTHORIZED: 'The API key (or admin secret) is missing, unknown or revoked.',
    FORBIDDEN: 'The key is valid but not for this call or origin.',
    SESSION_NOT_FOUND: 'No conversation of the key\'s business has this session token (or id).',
    ROUTE_NOT_FOUND: 'No such route or procedure.',
    BAD_REQUEST: 'The request itself is malformed (not JSON, wrong content type).',
    PAYLOAD_TOO_LARGE: 'The request body is larger than the server accepts.',
    RATE_LIMITED: 'Too many requests for this key or address.',
    IDEMPOTENCY_MISMATCH: 'The Idempotency-Key was used before with a different request.',
    IDEMPOTENCY_IN_PROGRESS: 'A request with this Idempotency-Key is still running.',
    UNAVAILABLE: 'No receptionist is configured (or it is starting).',
    INTERNAL: 'An unexpected failure; the details go to the log only.',
  },
} as const satisfies Record<string, Record<string, string>>;

/** A package that raises errors of its own. */
export type ErrorPackage = keyof typeof errorRegistry;

/** The codes one package may raise (for a union of packages: any of theirs). */
export type ErrorCodeOf<P extends ErrorPackage> = P extends ErrorPackage ? keyof (typeof errorRegistry)[P] & string : never;

/** A registered error: the package that raises it and its code there. */
export type ErrorRef = { [P in ErrorPackage]: { package: P; code: ErrorCodeOf<P> } }[ErrorPackage];

/** The packages whose errors reach an API caller (policy's and autonomy's never leave the process). */
export const apiErrorPackages = ['core', 'agent', 'channels', 'server'] as const satisfies readonly ErrorPackage[];

/** One of `apiErrorPackages`. */
export type ApiErrorPackage = (typeof apiErrorPackages)[number];

/** Every code a caller can see in `{ error: { code } }`: the union of the API packages' codes. */
export type ApiErrorCode = ErrorCodeOf<ApiErrorPackage>;

/** The codes of one package, in registry order. */
export function errorCodesOf<P extends ErrorPackage>(pkg: P): ErrorCodeOf<P>[] {
  return Object.keys(errorRegistry[pkg]) as ErrorCodeOf<P>[];
}

/** The registry's meaning of each of one package's codes. */
export function errorDescriptionsOf<P extends ErrorPackage>(pkg: P): Record<ErrorCodeOf<P>, string> {
  return errorRegistry[pkg] as Record<ErrorCodeOf<P>, string>;
}

/** True when `code` is registered for `pkg`. */
export function isRegisteredCode<P extends ErrorPackage>(pkg: P, code: unknown): code is ErrorCodeOf<P> {
  return typeof code === 'string' && Object.hasOwn(errorRegistry[pkg], code);
}
