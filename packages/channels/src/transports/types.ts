/** A channel the outbox delivers on. */
export type Channel = 'email' | 'sms';

/** A file sent with an email, as UTF-8 text (the .ics invitation). */
export interface Attachment {
  filename: string;
  contentType: string;
  content: string;
}

/** One rendered message as a transport sees it: everything needed to send, nothing to render. */
export interface OutboundMessage {
  id: string;
  tenantId: string;
  channel: Channel;
  template: string;
  recipient: string;
  subject: string | null;
  body: string;
  htmlBody: string | null;
  attachments: Attachment[];
  idempotencyKey: string;
}

export interface SendResult {
  providerMessageId: string;
}

export interface SendOptions {
  /** Aborted when the sender's per-message timeout passes. */
  signal: AbortSignal;
}

/**
 * A way out for one channel. `send` resolves with the provider's id or throws a ChannelError whose
 * code is PERMANENT, TRANSIENT or RATE_LIMITED (anything else counts as TRANSIENT).
 */
export interface Transport {
  readonly provider: string;
  readonly channel: Channel;
  send(message: OutboundMessage, options: SendOptions): Promise<SendResult>;
  /**
   * After a sender died mid-send, asks the provider whether the message went out (so it is not sent
   * twice). Returns the provider's id, or null when the provider has no record of it.
   */
  findSent?(message: OutboundMessage, since: Date): Promise<string | null>;
}

/** The transports a sender uses, per channel. */
export interface Transports {
  email?: Transport | undefined;
  sms?: Transport | undefined;
}
