import type { Pool, PoolClient } from './pool.js';

/** A notification Postgres delivered to a LISTEN connection. */
export interface DatabaseNotification {
  channel: string;
  payload?: string | undefined;
}

/**
 * A LISTEN connection shared by the parts of one process (issue 15). Postgres wakes every listening
 * backend of a database for every NOTIFY, whatever its channel, so each LISTEN connection a process
 * holds costs a wake-up of its own on every committed booking. The API's event hub is one feed; the
 * outbox sender and the job runner in the same process subscribe to it instead of listening on
 * connections of their own.
 *
 * A feed listens on at least `gomomo_events` and `gomomo_outbox`. It does not replay what was
 * notified while its connection was down, so a subscriber must also poll, as every one of ours does.
 */
export interface NotificationFeed {
  /** Calls `onNotification` for every notification the feed receives, until the returned function is called. */
  subscribe(onNotification: (notification: DatabaseNotification) => void): () => void;
}

/** A feed's subscribers, and what hands each notification to them (`createNotificationFanout`). */
export interface NotificationFanout extends NotificationFeed {
  /** Hands `message` (a copy without the connection's fields) to every subscriber. */
  deliver(message: DatabaseNotification): void;
  clear(): void;
}

/**
 * The subscribers of a feed (the event hub's, `openNotificationFeed`'s): each notification goes to
 * every one of them, and one that throws is reported to `onError` without keeping the rest from it.
 */
export function createNotificationFanout(onError?: ((error: unknown) => void) | undefined): NotificationFanout {
  const subscribers = new Set<(notification: DatabaseNotification) => void>();
  return {
    subscribe(subscriber) {
      subscribers.add(subscriber);
      return () => void subscribers.delete(subscriber);
    },
    deliver(message) {
      if (subscribers.size === 0) return;
      const notification = { channel: message.channel, payload: message.payload };
      for (const subscriber of subscribers) {
        try {
          subscriber(notification);
        } catch (error) {
          onError?.(error);
        }
      }
    },
    clear: () => subscribers.clear(),
  };
}

/** A feed on a LISTEN connection of its own, with what its owner needs to wait for it and let it go. */
export interface OwnNotificationFeed extends NotificationFeed {
  /** Resolves once listening, or once the first attempt failed (the feed keeps trying; subscribers poll meanwhile). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens a `NotificationFeed` on a LISTEN connection of its own, for a process with no event hub to
 * share (`gomomo-worker`: its job runner and outbox sender wake on one connection, not two). A lost
 * connection is reopened after a second; what was notified meanwhile is not replayed.
 */
export function openNotificationFeed(pool: Pool, options: { channels: string[]; onError?: ((error: unknown) => void) | undefined }): OwnNotificationFeed {
  const fanout = createNotificationFanout(options.onError);
  let client: PoolClient | undefined;
  let isClosed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const listen = options.channels.map((channel) => `LISTEN ${quoteChannel(channel)}`).join('; ');
  const unlisten = options.channels.map((channel) => `UNLISTEN ${quoteChannel(channel)}`).join('; ');

  const onNotification = (message: DatabaseNotification): void => fanout.deliver(message);
  const onError = (error: Error): void => {
    options.onError?.(error);
    if (client) drop(client);
  };
  const drop = (broken: PoolClient): void => {
    if (client !== broken) return;
    client = undefined;
    broken.off('notification', onNotification);
    broken.off('error', onError);
    broken.release(true);
    if (!isClosed) retry = setTimeout(() => void connect(), 1000);
  };
  function connect(): Promise<void> {
    return pool
      .connect()
      .then(async (next) => {
        client = next;
        next.on('notification', onNotification);
        next.on('error', onError);
        await next.query(listen);
        if (isClosed) await release();
      })
      .catch((error: unknown) => {
        options.onError?.(error);
        if (client) drop(client);
        else if (!isClosed) retry = setTimeout(() => void connect(), 1000);
      });
  }
  async function release(): Promise<void> {
    const current = client;
    client = undefined;
    if (!current) return;
    current.off('notification', onNotification);
    current.off('error', onError);
    await current.query(unlisten).catch(() => undefined);
    current.release();
  }
  return {
    ready: connect(),
    subscribe: (subscriber) => fanout.subscribe(subscriber),
    async close() {
      isClosed = true;
      clearTimeout(retry);
      fanout.clear();
      await release();
    },
  };
}

/** A channel name as an SQL identifier (LISTEN takes no parameter). */
function quoteChannel(channel: string): string {
  return `"${channel.replace(/"/g, '""')}"`;
}
