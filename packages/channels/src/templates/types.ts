/** The closed list of message templates. */
export const templateNames = ['confirmation', 'reschedule', 'cancellation', 'reminder', 'hold_followup', 'waitlist_offer'] as const;
export type TemplateName = (typeof templateNames)[number];

/** Languages every template exists in. */
export const locales = ['en', 'es'] as const;
export type Locale = (typeof locales)[number];

/** What a template may mention. Times are ISO instants; they are shown in `timeZone`. */
export interface TemplateData {
  businessName: string;
  clientName: string;
  serviceName: string;
  start: string;
  end: string;
  timeZone: string;
  reference?: string | null | undefined;
  resourceName?: string | null | undefined;
  /** Reschedule: where the appointment was before. */
  previousStart?: string | null | undefined;
  /** Waitlist offer: until when the slot is held. */
  expiresAt?: string | null | undefined;
  /** Waitlist offer: the link that opens the tenant's widget on the held slot (absent: no link). */
  offerUrl?: string | null | undefined;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}
