import type nodemailer from 'nodemailer';
import { ChannelError } from '../errors.js';
import type { OutboundMessage, Transport } from '../transports/types.js';

export interface SmtpTransportOptions {
  /** e.g. smtps://user:pass@smtp.example.com:465 */
  url: string;
  from: string;
  /** Milliseconds for connect and for each SMTP command (default 10 s). */
  timeoutMs?: number | undefined;
}

function classify(error: unknown): ChannelError {
  const { responseCode, message } = (error ?? {}) as { responseCode?: number; message?: string };
  const text = `SMTP: ${message ?? 'send failed'}`;
  // RFC 5321 §4.2.1: 5yz is a permanent negative reply, 4yz transient; 421/450/451/452 included.
  if (responseCode !== undefined && responseCode >= 500) return new ChannelError('PERMANENT', text, { cause: error });
  return new ChannelError('TRANSIENT', text, { cause: error });
}

/** Sends email through any SMTP server with nodemailer. */
export function createSmtpTransport(options: SmtpTransportOptions): Transport {
  const timeout = options.timeoutMs ?? 10_000;
  const url = new URL(options.url);
  const settings = {
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  };
  // nodemailer loads on first use, not at import: an install that never sends by SMTP never pays
  // for it in memory.
  let transporter: Promise<ReturnType<typeof nodemailer.createTransport>> | undefined;
  const getTransporter = () => (transporter ??= import('nodemailer').then(({ default: mailer }) => mailer.createTransport(settings)));
  return {
    provider: 'smtp',
    channel: 'email',
    async send(message: OutboundMessage) {
      try {
        const info = await (await getTransporter()).sendMail({
          from: options.from,
          to: message.recipient,
          subject: message.subject ?? '',
          text: message.body,
          ...(message.htmlBody ? { html: message.htmlBody } : {}),
          headers: { 'X-Gomomo-Idempotency-Key': message.idempotencyKey },
          attachments: message.attachments.map((file) => ({ filename: file.filename, content: file.content, contentType: file.contentType })),
        });
        return { providerMessageId: String(info.messageId) };
      } catch (error) {
        throw classify(error);
      }
    },
  };
}
