/**
 * @gomomo/core — the booking engine. Pure TypeScript over Postgres: the shared schema and its
 * migrations, availability, holds, bookings, the waitlist, and domain events written in the same
 * transaction as each change. Knows nothing of HTTP, LLMs or vendors.
 */
export { BookingError, bookingErrorCodes, bookingErrorDescriptions, isBookingError } from './errors.js';
export type { BookingErrorCode, BookingErrorOptions } from './errors.js';

export { systemClock } from './clock.js';
export type { Clock } from './clock.js';

export { createPool } from './db/pool.js';
export type { Pool, PoolClient, PoolOptions, Queryable, QueryResult } from './db/pool.js';
export { connectDatabase } from './db/connect.js';
export type { ConnectOptions, Database } from './db/connect.js';
export { migrate, migrationStatus, renderMigrationSql } from './db/migrate.js';
export type { Migration, MigrationStatus } from './db/migrate.js';
export { assertTenantId, sqlState, withTenant, withTransaction } from './db/transaction.js';
export { runWithCorrelationId, currentCorrelationId, correlationIdPattern } from './db/correlation.js';
export type { Isolation, OpeningStatement, TransactionOptions } from './db/transaction.js';
export { createNotificationFanout, openNotificationFeed } from './db/notification-feed.js';
export type { DatabaseNotification, NotificationFanout, NotificationFeed, OwnNotificationFeed } from './db/notification-feed.js';

export {
  parseInput,
  timeZoneSchema,
  instantSchema,
  dateSchema,
  timeOfDaySchema,
  uuidSchema,
  emailSchema,
  phoneSchema,
  nameSchema,
  currencySchema,
} from './validation/parse.js';

export { createTenant, insertTenant, getTenant, findTenant, findTenantBySlug, readTenant, listServices, readServices, listResources } from './tenants/tenants.js';
export { tenantInputSchema, serviceInputSchema, resourceInputSchema, openingHoursSchema, dateOverrideSchema } from './tenants/schemas.js';
export type { TenantInput } from './tenants/schemas.js';
export { seedDemo, demoTenantInput } from './tenants/demo.js';
export { createCatalogCache } from './tenants/catalog-cache.js';
export { siteUrlOf } from './tenants/site-url.js';
export type { Catalog, CatalogCache } from './tenants/catalog-cache.js';
export type { Tenant, Service, Resource } from './tenants/types.js';

export { recordEvent, listEvents, readEvent } from './events/events.js';
export type { ListEventsInput } from './events/events.js';
export { domainEventTypes } from './events/types.js';
export type { DomainEvent, DomainEventType, NewDomainEvent } from './events/types.js';

export type { Availability, AvailabilityQuery, Slot } from './availability/types.js';
export { claimsSource, createBusyIndex } from './availability/busy-index.js';
export type { BusyIndex, BusyIndexOptions, BusyRow, BusySource, BusyWindow } from './availability/busy-index.js';
export type {
  Appointment,
  AppointmentStatus,
  CancelInput,
  ClientDetails,
  ConfirmInput,
  Hold,
  HoldInput,
  HoldStatus,
  ListAppointmentsInput,
  LookupInput,
  RescheduleInput,
  Verification,
} from './bookings/types.js';
export type { JoinWaitlistInput, WaitlistEntry, WaitlistStatus } from './waitlist/types.js';
export { markEntryOffered, settleWaitlistOffer, takeWaitlistOffer } from './waitlist/offers.js';
export type { OfferSettlement, PendingOffer } from './waitlist/offers.js';

export { decideChangeWindow } from './bookings/change-window.js';
export type { ChangeRefusal, ChangeWindowDecision, ChangeWindowInput } from './bookings/change-window.js';
export { updateService } from './tenants/update-service.js';
export { changeDeadlineHoursSchema, serviceUpdateSchema } from './tenants/schemas.js';
export { createResource, createService, editResource, editService, readStaffCatalog, resourceCreateSchema, resourceEditSchema, serviceCreateSchema, serviceEditSchema, setResourceServices } from './tenants/catalog-edits.js';
export type { StaffResource, StaffService } from './tenants/catalog-edits.js';
export type { ServiceUpdate } from './tenants/schemas.js';

export { readAppointmentStates, readHoldFollowupStates } from './bookings/appointment-state.js';
export type { AppointmentState, HoldFollowupState } from './bookings/appointment-state.js';

export { countActiveHolds } from './bookings/count-active-holds.js';

export { createBookingEngine } from './engine/engine.js';
export { findBookingOfHold } from './bookings/booking-of-hold.js';
export type { BookingEngine, BookingEngineOptions, EngineContext } from './engine/engine.js';

export { readAppointmentView, appointmentViewColumns, appointmentViewOf, readHoldView, readActiveHoldsOfSession, hasSessionBookedSince, findSessionContact, listUpcomingByPhone } from './read-models/appointment-views.js';
export type { AppointmentView, AppointmentViewRow, HoldView, SessionContact, UpcomingBookingRow } from './read-models/appointment-views.js';
export { readOpeningHours, updateTenantSettings, findTenantId, lockWaitlistMatch } from './read-models/tenant-views.js';
export { readResourceCalendarContext, listResourceAppointments } from './read-models/resource-views.js';
export type { ResourceAppointment, ResourceCalendarContext } from './read-models/resource-views.js';
export { replaceOpeningHours, readDateOverrides, replaceDateOverrides, readResourceDateOverrides, replaceResourceDateOverrides } from './tenants/schedule.js';
export type { DateOverride } from './tenants/schedule.js';
export type { OpeningInterval, TenantSettingsPatch, WaitlistMatch } from './read-models/tenant-views.js';
export { handOverHold } from './bookings/hand-over-hold.js';

// Intake questions per service and their answers (issue 20 item 3).
export { assertIntakeComplete, intakeKinds, intakeQuestionSchema, listIntakeQuestions, readIntakeAnswers, readIntakeQuestions, saveIntakeAnswer, setIntakeQuestions, updateIntakeAnswer, validateIntakeAnswer } from './intake/intake.js';
export type { IntakeAnswer, IntakeKind, IntakeQuestion, IntakeQuestionInput, MissingIntake } from './intake/intake.js';

// A returning customer, read from their bookings by a proven contact (issue 20 item 2).
export { readCustomerProfile } from './customers/profile.js';
export type { CustomerBooking, CustomerProfile } from './customers/profile.js';
export { parseEncryptionKeys, encryptionKeysVariable } from './secrets/keyring.js';
export type { Keyring, SealedValue } from './secrets/keyring.js';
export { writeSecret, readSecret, deleteSecret, findMissingSecretKeys, assertSecretKeysPresent, rotateSecrets } from './secrets/store.js';
export type { RotationResult } from './secrets/store.js';
export { upsertExternalBusy, removeExternalBusy, replaceExternalBusy, clearExternalBusy, isExternallyBusy, readExternalBusy } from './external-busy/store.js';
export type { ExternalBusyBlock, ExternalBusyTarget } from './external-busy/store.js';
