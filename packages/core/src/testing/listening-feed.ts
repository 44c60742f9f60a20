import type { NotificationFeed } from '../db/notification-feed.js';
import type { Pool } from '../db/pool.js';

/**
 * A `NotificationFeed` on a real LISTEN connection of its own, as a host's event hub would share
 * one, for testing the parts that subscribe to a feed. Also counts the database's LISTEN
 * connections, so a test can see that a subscriber opened none of its own.
 */
export async function openListeningFeed(pool: Pool, channels: string[] = ['gomomo_events', 'gomomo_outbox']): Promise<{ feed: NotificationFeed; subscriberCount(): number; close(): Promise<void> }> {
  const client = await pool.connect();
  const subscribers = new Set<Parameters<NotificationFeed['subscribe']>[0]>();
  const onNotification = (message: { channel: string; payload?: string | undefined }) => {
    for (const subscriber of subscribers) subscriber({ channel: message.channel, payload: message.payload });
  };
  client.on('notification', onNotification);
  await client.query(channels.map((channel) => `LISTEN ${JSON.stringify(channel)}`).join('; '));
  return {
    feed: {
      subscribe(subscriber) {
        subscribers.add(subscriber);
        return () => void subscribers.delete(subscriber);
      },
    },
    /** Subscriptions not yet ended: a subscriber that stopped must have unsubscribed. */
    subscriberCount: () => subscribers.size,
    async close() {
      client.off('notification', onNotification);
      await client.query('UNLISTEN *');
      client.release();
    },
  };
}

/** How many connections of this database are listening (their last statement was a LISTEN). */
export async function countListeningConnections(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ count: number }>("SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND query ~* '^\\s*LISTEN'");
  return rows[0]!.count;
}
