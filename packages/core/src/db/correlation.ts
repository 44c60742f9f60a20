import { AsyncLocalStorage } from 'node:async_hooks';

/** What a correlation id may look like: short and printable, so it is safe to inline, log and echo. */
export const correlationIdPattern = /^[A-Za-z0-9._:-]{8,128}$/;

const store = new AsyncLocalStorage<string>();

/**
 * Runs `fn` with a correlation id (a request's id, or the one a job inherited from its event):
 * every transaction begun inside it sets `gomomo.correlation_id`, which the domain events and
 * outbox messages it writes record (migration 0046). A malformed id is ignored, not trusted.
 */
export function runWithCorrelationId<T>(correlationId: string | null | undefined, fn: () => T): T {
  return correlationId && correlationIdPattern.test(correlationId) ? store.run(correlationId, fn) : fn();
}

/** The correlation id of the work in progress, if any (for log lines). */
export function currentCorrelationId(): string | undefined {
  return store.getStore();
}

/** The statement that records the correlation id in the transaction ('' when there is none). */
export function correlationStatement(): string {
  const id = store.getStore();
  // Validated by runWithCorrelationId: no quote can reach the SQL.
  return id ? `; SET LOCAL gomomo.correlation_id = '${id}'` : '';
}
