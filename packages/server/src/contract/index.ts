/**
 * `@gomomo/server/contract` — only the types a client needs (the router and its event and error
 * types), with no runtime and no fastify or pg in its import graph, so `@gomomo/client` can inline it.
 */
export type { AppRouter } from '../router.js';
export type { SessionEvent } from '../routers/chat.js';
export type { TurnEvent, TurnStatus } from '../trpc/receptionist.js';
export type { GomomoErrorCode } from '../errors/error-table.js';
export type { FieldError } from '../errors/to-public-error.js';
