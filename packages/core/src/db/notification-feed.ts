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
