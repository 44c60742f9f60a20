import { buildIcs, enqueueOutboxMessage, renderEmail, renderSms, type Attachment, type Locale, type MessageTopic, type TemplateData, type TemplateName } from '@gomomo/channels';
import type { ActionResult } from '../policy/gate.js';
import type { ToolCall, ToolContext } from './context.js';
import type { OrchestratorToolName } from './schemas.js';

export interface NotificationInput {
  template: TemplateName;
  locale: Locale;
  data: TemplateData;
  email: string | null;
  phone: string | null;
  /** Idempotency key without the channel: "(booking, template[, what makes a repeat different])". */
  key: string;
  appointmentId?: string | null | undefined;
  subjectId?: string | null | undefined;
  /** Attach an .ics invitation to the email. */
  invitation?: { uid: string; sequence: number; status?: 'CONFIRMED' | 'CANCELLED' } | undefined;
  tool: OrchestratorToolName;
  /** The tool's arguments, as authorised. */
  args: Record<string, unknown>;
  /**
   * True for the confirmation of something the customer just did (booked, moved, cancelled): the SMS
   * goes at once. Reminders, follow-ups and offers wait for the recipient's daytime (quiet hours).
   */
  isTransactional: boolean;
  sessionId?: string | undefined;
  /** The appointment version the message describes; the sender re-checks it and drops it as `obsolete` otherwise. */
  about?: MessageTopic | undefined;
  /** The message's deadline (a reminder: the start; an offer: the hold's expiry); quiet hours never hold it past it. */
  sendBefore?: Date | undefined;
  /** For a hold follow-up: the lapsed hold; the sender drops the message if its conversation booked meanwhile. */
  aboutHold?: { holdId: string } | undefined;
}

function invitationOf(ctx: ToolContext, input: NotificationInput): Attachment[] {
  if (!input.invitation) return [];
  const content = buildIcs({
    uid: input.invitation.uid,
    sequence: input.invitation.sequence,
    status: input.invitation.status,
    start: input.data.start,
    end: input.data.end,
    summary: `${input.data.serviceName} — ${input.data.businessName}`,
    description: input.data.reference ? `Reference ${input.data.reference}` : undefined,
    location: input.data.businessName,
    stamp: ctx.clock.now(),
  });
  return [{ filename: 'invite.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content }];
}

/**
 * Queues the email (if there is an address) and the SMS (if there is a phone), each authorised by
 * policy as its own `notify.<channel>` call and recorded; a repeat of the same key is skipped, never
 * sent twice.
 *
 * The policy subject of one message is the message itself (its outbox idempotency key), not the
 * client: policy's follow-up limits are for unsolicited contact, and a confirmation's email and SMS,
 * or a notice right after a booking, must not hold each other back. Unsolicited contacts (hold
 * follow-ups, waitlist offers) are limited per client by their tool's own decision.
 */
export async function queueNotification(ctx: ToolContext, call: ToolCall, input: NotificationInput): Promise<ActionResult[]> {
  const results: ActionResult[] = [];
  const channels = [
    ...(input.email ? [{ channel: 'email' as const, recipient: input.email }] : []),
    ...(input.phone ? [{ channel: 'sms' as const, recipient: input.phone }] : []),
  ];
  for (const { channel, recipient } of channels) {
    const idempotencyKey = `${input.key}:${channel}`;
    const gated = await ctx.gate.run(
      call,
      { tenantId: call.tenantId, tool: input.tool, args: input.args, channel, subject: { bookingId: idempotencyKey }, entityId: input.subjectId ?? input.appointmentId, sessionId: input.sessionId },
      async () => {
        const rendered = channel === 'email' ? renderEmail(input.template, input.locale, input.data) : null;
        const { id, created } = await enqueueOutboxMessage(call.client, {
          tenantId: call.tenantId,
          channel,
          template: input.template,
          locale: input.locale,
          recipient,
          subject: rendered?.subject ?? null,
          body: rendered ? rendered.text : renderSms(input.template, input.locale, input.data),
          htmlBody: rendered?.html ?? null,
          attachments: channel === 'email' ? invitationOf(ctx, input) : [],
          idempotencyKey,
          appointmentId: input.appointmentId ?? null,
          isTransactional: input.isTransactional,
          about: input.about,
          sendBefore: input.sendBefore,
          aboutHold: input.aboutHold,
        });
        return created ? { outcome: 'done', detail: { outboxId: id, channel } } : { outcome: 'skipped', reason: 'already queued', detail: { outboxId: id, channel } };
      },
    );
    results.push(gated.outcome === 'denied' ? { outcome: 'skipped', reason: gated.reason } : gated);
  }
  return results;
}
