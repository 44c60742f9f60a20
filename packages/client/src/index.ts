/**
 * @gomomo/client — typed calls and live session events for the gomomo API, in Node (≥ 20) and
 * browsers. Queries and mutations go over batched HTTP; subscriptions over SSE.
 */
import { createTRPCClient, httpBatchLink, splitLink, type TRPCClient } from '@trpc/client';
import type { AppRouter } from '@gomomo/server/contract';
import { lazySubscriptionLink } from './lazy-subscription-link.js';

export type { AppRouter, SessionEvent, TurnEvent, TurnStatus, GomomoErrorCode, FieldError } from '@gomomo/server/contract';

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
 * Creates a typed client for a gomomo server.
 *
 * @example
 * const gomomo = createGomomoClient({ baseUrl: 'http://localhost:3000', apiKey: 'sk_live_…' });
 * const services = await gomomo.services.list.query();
 */
export function createGomomoClient(options: GomomoClientOptions): GomomoClient {
  const url = `${options.baseUrl.replace(/\/$/, '')}/trpc`;
  const headers = { ...options.headers, authorization: `Bearer ${options.apiKey}` };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // A browser EventSource cannot send headers, so the key travels as a connection param.
        true: lazySubscriptionLink<AppRouter>({ url, connectionParams: () => ({ apiKey: options.apiKey }) }),
        false: httpBatchLink({ url, headers: () => headers, ...(options.fetch ? { fetch: options.fetch } : {}) }),
      }),
    ],
  });
}
