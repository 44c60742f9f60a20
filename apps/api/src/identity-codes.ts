// One-time codes leave through the channels outbox (issue 20 item 1): transactional, so they go at
// once (no quiet hours), and the sender still honours SMS opt-outs and email suppressions. The
// message is queued in the transaction that stores the code's hash, and is useless after expiry.
import type { CodeMessage, CodeSender } from '@gomomo/agent';
import { enqueueOutboxMessage } from '@gomomo/channels';

const wording = {
  en: {
    subject: (business: string) => `Your ${business} code`,
    body: (m: CodeMessage) => `Your ${m.businessName} code is ${m.code}. It is valid for 10 minutes. If you did not ask for it, ignore this message; nothing changes without it.`,
    sms: (m: CodeMessage) => `${m.businessName}: your code is ${m.code} (valid 10 min). Didn't ask? Ignore this.`,
  },
  es: {
    subject: (business: string) => `Su código de ${business}`,
    body: (m: CodeMessage) => `Su código de ${m.businessName} es ${m.code}. Es válido durante 10 minutos. Si no lo pidió, ignore este mensaje; nada cambia sin él.`,
    sms: (m: CodeMessage) => `${m.businessName}: su código es ${m.code} (válido 10 min). ¿No lo pidió? Ignórelo.`,
  },
} as const;

/** The receptionist's code sender, queueing on the outbox in the caller's transaction. */
export const sendCodeThroughOutbox: CodeSender = async (client, message) => {
  const words = wording[message.locale];
  await enqueueOutboxMessage(client, {
    tenantId: message.tenantId,
    channel: message.channel,
    template: 'identity_code',
    locale: message.locale,
    recipient: message.recipient,
    subject: message.channel === 'email' ? words.subject(message.businessName) : null,
    body: message.channel === 'email' ? words.body(message) : words.sms(message),
    idempotencyKey: message.idempotencyKey,
    isTransactional: true,
    sendBefore: message.expiresAt,
  });
};
