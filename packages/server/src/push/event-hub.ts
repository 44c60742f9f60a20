import { createNotificationFanout, readEvent, type DatabaseNotification, type DomainEvent, type NotificationFeed, type Pool, type PoolClient } from '@gomomo/core';
import type { TurnEvent } from '../trpc/receptionist.js';
import { AsyncQueue } from './async-queue.js';

/**
 * core's one notification per transaction (migration 0008): `'<tenant_id>:<event_id>'` for each event
 * the transaction wrote, joined by `;` (a lone `outbox` part is the outbox sender's business), or
 * `*` when the list did not fit a payload.
 */
export const domainChannel = 'gomomo_events';
/** Ephemeral session events (typing, offered slots): `{ t, s, e }` JSON, never stored. */
export const sessionChannel = 'gomomo_session';
/** Migration 0059: `pg_notify('gomomo_keys', '<tenant_id>')` when a key is revoked or origins change. */
export const keysChannel = 'gomomo_keys';
/** channels' outbox messages queued without a domain event: not the hub's business, but its feed's (`EventHub.notifications`). */
const outboxChannel = 'gomomo_outbox';
/** Postgres refuses NOTIFY payloads of 8000 bytes or more. */
const maxPayloadBytes = 7900;

export type HubMessage =
  | { kind: 'domain'; event: DomainEvent }
  | { kind: 'turn'; sessionId: string; event: TurnEvent }
  /** The LISTEN connection was lost and is back: events in between must be replayed from the table. */
  | { kind: 'resync' };

interface Subscriber {
  tenantId: string;
  /** Null: every conversation of the tenant (the console's inbox). */
  sessionId: string | null;
  queue: AsyncQueue<HubMessage>;
}

export interface EventHub {
  /** Opens the instance's one LISTEN connection. */
  start(): Promise<void>;
  close(): Promise<void>;
  /** Sends an ephemeral event to the session's subscribers on every instance. */
  publishTurnEvent(input: { tenantId: string; sessionId: string; event: TurnEvent }): Promise<void>;
  /** The session's events from now on, until `signal` aborts. */
  subscribe(input: { tenantId: string; sessionId: string; signal?: AbortSignal }): AsyncIterable<HubMessage>;
  /** Every event of the tenant from now on, of a conversation or not (staff only: the console's inbox and bookings grid). */
  subscribeTenant(input: { tenantId: string; signal?: AbortSignal }): AsyncIterable<HubMessage>;
  /** Live subscriptions on this instance (for tests and metrics). */
  readonly subscriberCount: number;
  /**
   * Every notification of the hub's LISTEN connection, raw: the outbox sender and the job runner
   * in this process wake on it instead of holding LISTEN connections of their own (core's
   * `NotificationFeed`). It covers gomomo_events and gomomo_outbox.
   */
  readonly notifications: NotificationFeed;
}

/** Shrinks an event until its NOTIFY payload fits (a long slot list keeps its first slots). */
function encodeTurn(tenantId: string, sessionId: string, event: TurnEvent): string | null {
  let current = event;
  for (;;) {
    const payload = JSON.stringify({ t: tenantId, s: sessionId, e: current });
    if (Buffer.byteLength(payload) <= maxPayloadBytes) return payload;
    if (current.type !== 'slots' || current.slots.length === 0) return null;
    current = { ...current, slots: current.slots.slice(0, Math.floor(current.slots.length / 2)) };
  }
}

/** The events a gomomo_events payload names, in order, or `all` for `*` (see `domainChannel`). */
export function parseDomainPayload(payload: string): { tenantId: string; id: number }[] | 'all' {
  const events: { tenantId: string; id: number }[] = [];
  for (const part of payload.split(';')) {
    if (part === '*') return 'all';
    const [tenantId, id] = part.split(':');
    if (tenantId && id && Number.isSafeInteger(Number(id))) events.push({ tenantId, id: Number(id) });
  }
  return events;
}

/**
 * One LISTEN connection per instance feeding every subscription of this process, so N instances on
 * one database deliver each other's events. A NOTIFY carries only ids; the row is read back under
 * the tenant's RLS scope, once per event however many subscribers want it.
 */
export function createEventHub(options: {
  pool: Pool;
  /** A session-mode pool for the LISTEN connection when `pool` goes through a transaction pooler (default `pool`). */
  listenPool?: Pool | undefined;
  onError?: (error: unknown) => void;
  /** A tenant's keys or origins changed (null: anything may have, after a reconnect); see `KeyCache.forget`. */
  onKeyChange?: (tenantId: string | null) => void;
  /** Every committed domain event of any tenant (e.g. core's `BusyIndex.notify`). */
  onDomainEvent?: (tenantId: string, eventId: number) => void;
  /** The LISTEN connection came back: notifications in between were lost (e.g. `BusyIndex.reset`). */
  onReconnect?: () => void;
}): EventHub {
  const { pool } = options;
  const subscribers = new Set<Subscriber>();
  // The hub's connection, fed on to the rest of the process (`notifications`).
  const taps = createNotificationFanout(options.onError);
  let client: PoolClient | undefined;
  let isClosed = false;
  let chain: Promise<void> = Promise.resolve();
  let reconnectTimer: NodeJS.Timeout | undefined;

  function deliver(tenantId: string, sessionId: string | null, message: HubMessage): void {
    for (const sub of subscribers) {
      if (sub.tenantId === tenantId && (sub.sessionId === null || sub.sessionId === sessionId)) sub.queue.push(message);
    }
  }

  async function handleDomain(tenantId: string, id: number): Promise<void> {
    if (![...subscribers].some((sub) => sub.tenantId === tenantId)) return;
    const event = await readEvent(pool, tenantId, id);
    // An event of no conversation (a booking made through the API, a hold expiring) reaches only the
    // tenant-wide subscriptions (the console's); a conversation's subscribers see their own events.
    if (event) deliver(tenantId, event.sessionId, { kind: 'domain', event });
  }

  /** Too many events in one transaction to list: as after a reconnect, everyone replays from the table. */
  function resyncAll(): void {
    options.onReconnect?.();
    for (const sub of subscribers) sub.queue.push({ kind: 'resync' });
  }

  function handleSession(payload: string): void {
    const parsed = JSON.parse(payload) as { t: string; s: string; e: TurnEvent };
    deliver(parsed.t, parsed.s, { kind: 'turn', sessionId: parsed.s, event: parsed.e });
  }

  function onNotification(message: DatabaseNotification): void {
    taps.deliver(message);
    const payload = message.payload ?? '';
    if (message.channel === outboxChannel) return;
    if (message.channel === keysChannel) {
      options.onKeyChange?.(payload);
      return;
    }
    if (message.channel === domainChannel) {
      const events = parseDomainPayload(payload);
      if (events === 'all') {
        chain = chain.then(resyncAll).catch((error: unknown) => options.onError?.(error));
        return;
      }
      for (const { tenantId, id } of events) {
        options.onDomainEvent?.(tenantId, id);
        // Sequential, so subscribers see events in commit order even though each needs a read.
        chain = chain.then(() => handleDomain(tenantId, id)).catch((error: unknown) => options.onError?.(error));
      }
      return;
    }
    chain = chain.then(() => handleSession(payload)).catch((error: unknown) => options.onError?.(error));
  }

  async function connect(): Promise<void> {
    const next = await (options.listenPool ?? pool).connect();
    next.on('notification', onNotification);
    next.on('error', (error) => {
      options.onError?.(error);
      dropAndReconnect(next);
    });
    await next.query(`LISTEN ${domainChannel}; LISTEN ${sessionChannel}; LISTEN ${keysChannel}; LISTEN ${outboxChannel}`);
    client = next;
  }

  function dropAndReconnect(broken: PoolClient): void {
    if (client !== broken) return;
    client = undefined;
    broken.release(true);
    if (isClosed) return;
    reconnectTimer = setTimeout(() => {
      connect()
        .then(() => {
          options.onKeyChange?.(null);
          options.onReconnect?.();
          for (const sub of subscribers) sub.queue.push({ kind: 'resync' });
        })
        .catch((error: unknown) => {
          options.onError?.(error);
          if (client === undefined && !isClosed) dropAndReconnectLater();
        });
    }, 1000);
  }

  function dropAndReconnectLater(): void {
    reconnectTimer = setTimeout(() => void connect().catch(() => dropAndReconnectLater()), 1000);
  }

  function addSubscriber(scope: { tenantId: string; sessionId: string | null }, signal: AbortSignal | undefined): AsyncIterable<HubMessage> {
    const queue = new AsyncQueue<HubMessage>(signal);
    const sub: Subscriber = { ...scope, queue };
    subscribers.add(sub);
    signal?.addEventListener('abort', () => subscribers.delete(sub), { once: true });
    return {
      [Symbol.asyncIterator]: () => {
        const inner = queue[Symbol.asyncIterator]();
        return {
          next: () => inner.next(),
          return: () => {
            subscribers.delete(sub);
            return inner.return!();
          },
        };
      },
    };
  }

  return {
    start: () => connect(),
    async close() {
      isClosed = true;
      clearTimeout(reconnectTimer);
      for (const sub of subscribers) sub.queue.end();
      subscribers.clear();
      const current = client;
      client = undefined;
      if (current) {
        try {
          await current.query(`UNLISTEN *`);
        } finally {
          current.release();
        }
      }
    },
    async publishTurnEvent({ tenantId, sessionId, event }) {
      const payload = encodeTurn(tenantId, sessionId, event);
      if (payload) await pool.query('SELECT pg_notify($1, $2)', [sessionChannel, payload]);
    },
    subscribe({ tenantId, sessionId, signal }) {
      return addSubscriber({ tenantId, sessionId }, signal);
    },
    subscribeTenant({ tenantId, signal }) {
      return addSubscriber({ tenantId, sessionId: null }, signal);
    },
    get subscriberCount() {
      return subscribers.size;
    },
    notifications: { subscribe: (onNotification) => taps.subscribe(onNotification) },
  };
}
