import { z } from 'zod';
import { createPostmarkTransport } from '../email/postmark.js';
import { createSmtpTransport } from '../email/smtp.js';
import { ChannelError } from '../errors.js';
import { createTwilioTransport, type TwilioHttpClient } from '../sms/outbound/twilio.js';
import { createLogTransport } from './log.js';
import type { OutboundMessage, Transports } from './types.js';

/** Which provider each channel uses; `log` (the default) keeps messages in the database only. */
export const deliveryConfigSchema = z.object({
  email: z
    .discriminatedUnion('provider', [
      z.object({ provider: z.literal('log') }),
      z.object({
        provider: z.literal('postmark'),
        serverToken: z.string().min(1),
        from: z.string().min(3),
        messageStream: z.string().min(1).optional(),
        requestHost: z.string().min(1).optional(),
        useHttps: z.boolean().optional(),
      }),
      z.object({ provider: z.literal('smtp'), url: z.url(), from: z.string().min(3) }),
    ])
    .default({ provider: 'log' }),
  sms: z
    .discriminatedUnion('provider', [
      z.object({ provider: z.literal('log') }),
      z.object({
        provider: z.literal('twilio'),
        accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex digits'),
        authToken: z.string().min(1),
        from: z.string().optional(),
        messagingServiceSid: z.string().optional(),
        statusCallbackUrl: z.url().optional(),
      }),
    ])
    .default({ provider: 'log' }),
});

export type DeliveryConfig = z.input<typeof deliveryConfigSchema>;

/**
 * Reads the delivery configuration from environment variables: POSTMARK_SERVER_TOKEN (+ EMAIL_FROM,
 * POSTMARK_MESSAGE_STREAM) or SMTP_URL (+ EMAIL_FROM) for email; TWILIO_ACCOUNT_SID,
 * TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID (+ TWILIO_STATUS_CALLBACK_URL)
 * for SMS. Nothing set means the log transport.
 */
export function deliveryConfigFromEnv(env: Record<string, string | undefined>): DeliveryConfig {
  const from = env.EMAIL_FROM ?? 'gomomo <no-reply@localhost>';
  const email: DeliveryConfig['email'] = env.POSTMARK_SERVER_TOKEN
    ? { provider: 'postmark', serverToken: env.POSTMARK_SERVER_TOKEN, from, ...(env.POSTMARK_MESSAGE_STREAM ? { messageStream: env.POSTMARK_MESSAGE_STREAM } : {}) }
    : env.SMTP_URL
      ? { provider: 'smtp', url: env.SMTP_URL, from }
      : { provider: 'log' };
  const sms: DeliveryConfig['sms'] = env.TWILIO_ACCOUNT_SID
    ? {
        provider: 'twilio',
        accountSid: env.TWILIO_ACCOUNT_SID,
        authToken: env.TWILIO_AUTH_TOKEN ?? '',
        ...(env.TWILIO_FROM_NUMBER ? { from: env.TWILIO_FROM_NUMBER } : {}),
        ...(env.TWILIO_MESSAGING_SERVICE_SID ? { messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID } : {}),
        ...(env.TWILIO_STATUS_CALLBACK_URL ? { statusCallbackUrl: env.TWILIO_STATUS_CALLBACK_URL } : {}),
      }
    : { provider: 'log' };
  return { email, sms };
}

/** Builds the transports for a configuration; throws CONFIGURATION naming the bad setting. */
export function createTransports(
  config: DeliveryConfig = {},
  extras: { twilioHttpClient?: TwilioHttpClient; onLog?: (message: OutboundMessage) => void } = {},
): Transports {
  const parsed = deliveryConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    throw new ChannelError('CONFIGURATION', `${field}: ${issue.message}`, { field });
  }
  const { email, sms } = parsed.data;
  const log = (channel: 'email' | 'sms') => createLogTransport({ channel, ...(extras.onLog ? { onMessage: extras.onLog } : {}) });
  return {
    email:
      email.provider === 'postmark'
        ? createPostmarkTransport(email)
        : email.provider === 'smtp'
          ? createSmtpTransport(email)
          : log('email'),
    sms: sms.provider === 'twilio' ? createTwilioTransport({ ...sms, ...(extras.twilioHttpClient ? { httpClient: extras.twilioHttpClient } : {}) }) : log('sms'),
  };
}
