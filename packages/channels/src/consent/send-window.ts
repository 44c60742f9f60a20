import { nextAllowedSendTime, readQuietHours } from './quiet-hours.js';
import { recipientTimeZone } from './recipient-zone.js';

export interface SmsSendTimeInput {
  now: Date;
  /** The tenant's zone and settings (`settings.sms.quietHours`), as on core's `Tenant`. */
  tenant: { timeZone: string; settings: Record<string, unknown> };
  /** The recipient's E.164 number. */
  phone: string;
  isTransactional: boolean;
}

/**
 * When an SMS to `phone` may go out for this tenant: the tenant's quiet hours, read on the
 * recipient's clock. The one call an outbound sender needs before the provider.
 *
 * @example smsSendTime({ now, tenant, phone: '+447700900123', isTransactional: false })
 */
export function smsSendTime(input: SmsSendTimeInput): Date {
  return nextAllowedSendTime({
    now: input.now,
    timeZone: recipientTimeZone({ phone: input.phone, tenantTimeZone: input.tenant.timeZone }),
    quietHours: readQuietHours(input.tenant.settings),
    isTransactional: input.isTransactional,
  });
}
