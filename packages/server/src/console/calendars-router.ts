import {
  disconnectCalendar,
  listConnectionStatuses,
  startGoogleConnect,
  startMicrosoftConnect,
} from '@gomomo/channels';
import { withTenant } from '@gomomo/core';
import { appendAudit } from '@gomomo/policy';
import { z } from 'zod';
import { ServerError } from '../errors/server-error.js';
import { depsOf, type ServerDeps } from '../trpc/context.js';
import { router } from '../trpc/init.js';
import { ownerProcedure } from './auth.js';
import type { CalendarConnectOptions } from './calendar-options.js';
import { calendarBindingOf } from './calendar-session.js';

/** The calendar providers this server can connect (plugin option `calendars`); unset: none. */
const providers = ['google', 'microsoft'] as const;
type Provider = (typeof providers)[number];
const providerNames: Record<Provider, string> = { google: 'Google Calendar', microsoft: 'Microsoft 365' };

const resourceInput = z.object({
  resourceId: z.uuid({ message: 'must be a resource id (uuid)' }),
  provider: z.enum(providers, { message: 'must be google or microsoft' }),
});

function configuredProviders(deps: ServerDeps): Provider[] {
  return providers.filter((p) => Boolean(deps.calendars?.[p]));
}

function requireCalendars(deps: ServerDeps, provider: Provider): CalendarConnectOptions {
  if (!deps.calendars?.[provider]) throw new ServerError('BAD_REQUEST', `provider: ${providerNames[provider]} is not configured on this server`);
  return deps.calendars;
}

/**
 * Calendars in the console (issue 18, item 2, "from the staff console"): an owner connects a
 * resource's Google or Microsoft 365 calendar with the OAuth `state` bound to their own session —
 * the provider's callback (apps/api, `GET /v1/calendars/<provider>/callback`) finishes only in the
 * browser presenting it — sees each connection's status, and disconnects. Owner-only; audited
 * with the owner's id. Answers never carry a token.
 */
export const consoleCalendarsRouter = router({
  /** Each resource with its connections (`connected`, `error` with the last error, `revoked`), and the providers this server offers. */
  list: ownerProcedure.query(async ({ ctx }) => {
    const deps = depsOf(ctx);
    const [resources, connections] = await Promise.all([
      deps.engine.listResources(ctx.tenantId),
      withTenant(deps.pool, ctx.tenantId, (client) => listConnectionStatuses(client, ctx.tenantId), { isolation: 'read committed' }),
    ]);
    return {
      providers: configuredProviders(deps),
      resources: resources.map((r) => ({
        id: r.id,
        name: r.name,
        connections: connections
          .filter((c) => c.resourceId === r.id)
          .map((c) => ({ provider: c.provider, calendarId: c.calendarId, status: c.status, lastError: c.lastError, syncedAt: c.syncedAt ? new Date(c.syncedAt).toISOString() : null })),
      })),
    };
  }),
  /** Starts connecting: the URL to send the browser to (the provider's consent), valid ten minutes, for this session only. */
  connect: ownerProcedure.input(resourceInput).mutation(async ({ ctx, input }) => {
    const deps = depsOf(ctx);
    const calendars = requireCalendars(deps, input.provider);
    const start = { pool: deps.pool, clock: deps.clock };
    const flow = { tenantId: ctx.tenantId, resourceId: input.resourceId, boundTo: calendarBindingOf(ctx.staffToken) };
    const started = input.provider === 'google' ? await startGoogleConnect({ ...start, google: calendars.google! }, flow) : await startMicrosoftConnect({ ...start, microsoft: calendars.microsoft! }, flow);
    return { authorizationUrl: started.authorizationUrl, expiresAt: started.expiresAt.toISOString() };
  }),
  /**
   * Disconnects: revokes the grant at the provider (best effort), deletes the token, clears the
   * calendar's busy time (its slots are offered again at once). Idempotent: `not_connected` when
   * there is nothing (left) to disconnect.
   */
  disconnect: ownerProcedure.input(resourceInput).mutation(async ({ ctx, input }) => {
    const deps = depsOf(ctx);
    if (!deps.calendars) return { outcome: 'not_connected' as const, revokedAtProvider: false };
    const result = await disconnectCalendar({ pool: deps.pool, keyring: deps.calendars.keyring, google: deps.calendars.google ?? undefined }, { tenantId: ctx.tenantId, ...input });
    if (result.outcome === 'not_connected') return { outcome: result.outcome, revokedAtProvider: false };
    await appendAudit(deps.pool, {
      tenantId: ctx.tenantId,
      actor: 'staff',
      channel: 'system',
      action: 'calendar.disconnect',
      outcome: 'succeeded',
      subjectId: input.resourceId,
      reason: `${providerNames[input.provider]} disconnected${result.revokedAtProvider ? ' and revoked at the provider' : ' (not revoked at the provider)'}; ${result.clearedBusy} busy blocks cleared`,
      details: { staffId: ctx.staffId, provider: input.provider, connectionId: result.connectionId, revokedAtProvider: result.revokedAtProvider, clearedBusy: result.clearedBusy },
      occurredAt: deps.clock.now(),
    });
    return { outcome: result.outcome, revokedAtProvider: result.revokedAtProvider };
  }),
});
