import type { Locale, TemplateData } from '@gomomo/channels';
import { readAppointmentView, type AppointmentView as CoreAppointmentView, type PoolClient } from '@gomomo/core';

/** Core's appointment view with the tenant's message language instead of its raw settings. */
export type AppointmentView = Omit<CoreAppointmentView, 'tenantSettings'> & {
  locale: Locale;
  /** The tenant opted in to contact details in staff calendars (`settings.calendarContactDetails: true`). */
  isContactSharedWithCalendar: boolean;
};

/** The tenant's message language: `settings.locale` ('en' or 'es'), English otherwise. */
export function localeOf(settings: Record<string, unknown> | null | undefined): Locale {
  return settings?.locale === 'es' ? 'es' : 'en';
}

/** The appointment with its service, resource and tenant, read through core inside the tool's transaction. */
export async function loadAppointment(client: PoolClient, tenantId: string, appointmentId: string): Promise<AppointmentView | null> {
  const view = await readAppointmentView(client, { tenantId, appointmentId });
  return view ? toolViewOf(view) : null;
}

/** The tools' view of core's: the message language and the calendar opt-in instead of the raw settings. */
export function toolViewOf(view: CoreAppointmentView): AppointmentView {
  const { tenantSettings, ...rest } = view;
  return { ...rest, locale: localeOf(tenantSettings), isContactSharedWithCalendar: tenantSettings?.calendarContactDetails === true };
}

export function templateDataOf(appointment: AppointmentView): TemplateData {
  return {
    businessName: appointment.businessName,
    clientName: appointment.clientName,
    serviceName: appointment.serviceName,
    resourceName: appointment.resourceName,
    start: appointment.start,
    end: appointment.end,
    timeZone: appointment.timeZone,
    reference: appointment.reference,
  };
}
