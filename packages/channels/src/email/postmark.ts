import type { ServerClient } from 'postmark';
import { ChannelError } from '../errors.js';
import type { OutboundMessage, Transport } from '../transports/types.js';

export interface PostmarkTransportOptions {
  serverToken: string;
  /** Sender signature, e.g. "Demo Clinic <hello@example.com>". */
  from: string;
  /** Postmark message stream; transactional mail goes on "outbound" (the default). */
  messageStream?: string | undefined;
  /** Host without scheme, for tests against a local fake (default api.postmarkapp.com). */
  requestHost?: string | undefined;
  useHttps?: boolean | undefined;
  /** Seconds before the SDK gives up on a request (default 10). */
  timeoutSeconds?: number | undefined;
}

/** Postmark's ErrorCode 406: the recipient is inactive (bounced or complained before). */
const inactiveRecipient = 406;

function classify(error: unknown): ChannelError {
  const { statusCode, code, message } = (error ?? {}) as { statusCode?: number; code?: number; message?: string };
  const text = `Postmark: ${message ?? 'request failed'}${code ? ` (ErrorCode ${code})` : ''}`;
  if (statusCode === 429) return new ChannelError('RATE_LIMITED', text, { cause: error, retryAfterMs: 60_000 });
  if (statusCode !== undefined && statusCode >= 500) return new ChannelError('TRANSIENT', text, { cause: error });
  // 401 (bad token) and 422 (bad request, inactive recipient) will not get better by retrying.
  if (statusCode !== undefined && statusCode >= 400) return new ChannelError('PERMANENT', text, { cause: error });
  if (code === inactiveRecipient) return new ChannelError('PERMANENT', text, { cause: error });
  // No status: a timeout or a connection error.
  return new ChannelError('TRANSIENT', text, { cause: error });
}

/** Sends email through Postmark's transactional stream with the official SDK. */
export function createPostmarkTransport(options: PostmarkTransportOptions): Transport {
  // The SDK loads on first use, not at import: an install that never sends through this provider
  // never pays for it in memory (the vendor SDKs are 10–20 MB resident each).
  let client: Promise<ServerClient> | undefined;
  const getClient = () =>
    (client ??= import('postmark').then(
      ({ ServerClient: Client }) =>
        new Client(options.serverToken, {
          ...(options.requestHost ? { requestHost: options.requestHost } : {}),
          useHttps: options.useHttps ?? true,
          timeout: options.timeoutSeconds ?? 10,
        }),
    ));
  const stream = options.messageStream ?? 'outbound';
  return {
    provider: 'postmark',
    channel: 'email',
    async send(message: OutboundMessage) {
      try {
        const response = await (await getClient()).sendEmail({
          From: options.from,
          To: message.recipient,
          Subject: message.subject ?? '',
          TextBody: message.body,
          ...(message.htmlBody ? { HtmlBody: message.htmlBody } : {}),
          MessageStream: stream,
          Metadata: { outboxId: message.id, tenantId: message.tenantId, template: message.template },
          Headers: [{ Name: 'X-Gomomo-Idempotency-Key', Value: message.idempotencyKey }],
          Attachments: message.attachments.map((file) => ({
            Name: file.filename,
            ContentType: file.contentType,
            Content: Buffer.from(file.content, 'utf8').toString('base64'),
            ContentID: null,
          })),
        });
        return { providerMessageId: response.MessageID };
      } catch (error) {
        throw classify(error);
      }
    },
    async findSent(message: OutboundMessage, since: Date) {
      // Outbound message search with a metadata filter finds what a dead sender already handed over.
      const result = await (await getClient()).getOutboundMessages({
        count: 10,
        offset: 0,
        recipient: message.recipient,
        fromDate: since.toISOString().slice(0, 19),
        metadata_outboxId: message.id,
      });
      return result.Messages[0]?.MessageID ?? null;
    },
  };
}
