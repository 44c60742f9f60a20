import type { IcsImport } from '@gomomo/channels';
import { z } from 'zod';

/**
 * The inputs of ICS feed management, shared by the hosted app's REST routes (`/v1/ics/...`, secret
 * key) and the console's `console.ics.*`, so a field error reads the same in both.
 */
export const icsSchemas = {
  /** A resource whose subscription feed is created, replaced or revoked. */
  resource: z.object({ resourceId: z.uuid({ message: 'must be a resource id (uuid)' }) }),
  /** An outside ICS URL to read as a resource's busy time (checked further by `checkIcsUrl`). */
  newImport: z.object({
    resourceId: z.uuid({ message: 'must be a resource id (uuid)' }),
    url: z.string().min(1, 'is required').max(2048, 'must be at most 2048 characters'),
  }),
  /** One outside feed. */
  importId: z.object({ id: z.uuid({ message: 'must be a feed id (uuid)' }) }),
};

/**
 * What the REST routes and the console answer of an outside feed: its host, never the URL (it may
 * carry a secret); `lastError` null while the feed is healthy.
 */
export function publicIcsImport(feed: IcsImport) {
  return {
    id: feed.id,
    resourceId: feed.resourceId,
    host: feed.host,
    fetchedAt: feed.fetchedAt?.toISOString() ?? null,
    succeededAt: feed.succeededAt?.toISOString() ?? null,
    failingSince: feed.failingSince?.toISOString() ?? null,
    lastError: feed.lastError || null,
  };
}
