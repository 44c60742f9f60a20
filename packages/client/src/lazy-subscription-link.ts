import { httpSubscriptionLink, TRPCClientError, type Operation, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import type { AnyRouter } from '@trpc/server';

type EventSourceConstructor = new (url: string, init?: object) => EventSource;

// A variable specifier keeps bundlers (and the type checker) away from the Node ponyfill: browsers
// use their own EventSource and never load it.
const ponyfillSpecifier = 'eventsource';
let loading: Promise<EventSourceConstructor> | undefined;

/** The platform's EventSource, or on Node 20 (which has none) the fetch-based `eventsource` package. */
function loadEventSource(): Promise<EventSourceConstructor> {
  const native = (globalThis as unknown as { EventSource?: EventSourceConstructor }).EventSource;
  if (native) return Promise.resolve(native);
  loading ??= import(ponyfillSpecifier).then((module: { EventSource: EventSourceConstructor }) => module.EventSource);
  return loading;
}

/**
 * `httpSubscriptionLink`, created once an EventSource implementation is loaded, one per operation
 * so the connection params (re-read on every reconnect) can depend on the operation's context.
 */
export function lazySubscriptionLink<TRouter extends AnyRouter>(options: { url: string; connectionParams: (op: Operation) => Promise<Record<string, string>> }): TRPCLink<TRouter> {
  return (runtime) =>
    ({ op, next }) =>
      observable((observer) => {
        let isCancelled = false;
        let unsubscribe: (() => void) | undefined;
        loadEventSource()
          .then((EventSourceImpl) => {
            if (isCancelled) return;
            const link = httpSubscriptionLink<TRouter, never>({ url: options.url, connectionParams: () => options.connectionParams(op), EventSource: EventSourceImpl as never } as never)(runtime);
            const subscription = link({ op, next }).subscribe(observer);
            unsubscribe = () => subscription.unsubscribe();
          })
          .catch((error: unknown) => observer.error(TRPCClientError.from(error instanceof Error ? error : new Error(String(error)))));
        return () => {
          isCancelled = true;
          unsubscribe?.();
        };
      });
}
