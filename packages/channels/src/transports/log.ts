import type { Channel, OutboundMessage, Transport } from './types.js';

export interface LogTransportOptions {
  channel: Channel;
  /** Called with each message, e.g. to print it in the demo. The row keeps the rendered text either way. */
  onMessage?: (message: OutboundMessage) => void;
}

/**
 * The default when no provider is configured: nothing leaves the machine, the outbox row (with its
 * rendered body) is marked sent, so the demo shows every message that would have gone out.
 */
export function createLogTransport(options: LogTransportOptions): Transport {
  return {
    provider: 'log',
    channel: options.channel,
    async send(message) {
      options.onMessage?.(message);
      return { providerMessageId: `log-${message.id}` };
    },
    // The log transport's "delivery" is the row itself: if a sender died after logging, logging
    // again is harmless, so report "not sent" and let it run.
    async findSent() {
      return null;
    },
  };
}
