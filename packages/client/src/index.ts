/**
 * @gomomo/client — typed calls and live session events for the gomomo API, in Node (≥ 20) and
 * browsers. Queries and mutations go over batched HTTP; subscriptions over SSE.
 */
import { createTRPCClient, httpBatchLink, httpLink, splitLink, type TRPCClient } from '@trpc/client';
import type { AppRouter } from '@gomomo/server/contract';
import { lazySubscriptionLink } from './lazy-subscription-link.js';
import { fetchStreamTicket, sessionOf, sessionTokenHeader } from './session.js';

export type { AppRouter, SessionEvent, TurnEvent, TurnStatus, GomomoErrorCode, FieldError } from '@gomomo/server/contract';
export { inSession, sessionTokenHeader } from './session.js';
export type { SessionContext } from './session.js';

export interface GomomoClientOptions {
  /** Where the API is, e.g. "https://api.gomomo.example" or "http://localhost:3000". */
  baseUrl: string;
  /** A secret key (server side) or a publishable key (web pages, from an allowed origin). */
  apiKey: string;
  /** Extra headers on every query and mutation. */
  headers?: Record<string, string>;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
}

/** The typed client: `client.services.list.query()`, `client.chat.events.subscribe(...)`, … */
export type GomomoClient = TRPCClient<AppRouter>;

/**
 * Creates a typed client for a gomomo server. Keys travel in the `Authorization` header only; a
 * conversation's session token in `x-gomomo-session` (pass `inSession({ sessionToken })` as a
 * call's options); event streams open with a single-use ticket fetched per (re)connect.
 *
 * @example
 * const gomomo = createGomomoClient({ baseUrl: 'http://localhost:3000', apiKey: 'sk_live_…' });
 * const services = await gomomo.services.list.query();
 */
export function createGomomoClient(options: GomomoClientOptions): GomomoClient {
  const url = `${options.baseUrl.replace(/\/$/, '')}/trpc`;
  const headers = { ...options.headers, authorization: `Bearer ${options.apiKey}` };
  const fetchOption = options.fetch ? { fetch: options.fetch } : {};
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // A browser EventSource cannot send headers: the URL carries a single-use ticket, fetched
        // (with the key and session token in headers) on every connect and reconnect.
        true: lazySubscriptionLink<AppRouter>({
          url,
          connectionParams: async (op) => ({ ticket: await fetchStreamTicket({ url, headers, session: sessionOf(op.context), ...fetchOption }) }),
        }),
        false: splitLink({
          // Calls about one conversation go unbatched, so a batch never mixes two conversations' tokens.
          condition: (op) => sessionOf(op.context).sessionToken !== undefined,
          true: httpLink({ url, headers: ({ op }) => ({ ...headers, [sessionTokenHeader]: sessionOf(op.context).sessionToken! }), ...fetchOption }),
          false: httpBatchLink({ url, headers: () => headers, ...fetchOption }),
        }),
      }),
    ],
  });
}
