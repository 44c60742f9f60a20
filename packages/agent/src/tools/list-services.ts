import { z } from 'zod';
import { describeFailure } from '../executor/failures.js';
import { defineChatTool } from './descriptor.js';

function formatPrice(cents: number | null, currency: string | null): string | null {
  if (cents === null) return null;
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency ?? 'USD' }).format(cents / 100);
}

/** The tenant's services, with ids, durations and prices. */
export const listServicesTool = defineChatTool({
  name: 'list_services',
  action: 'services.list',
  reversibility: { irreversible: false },
  contact: 'none',
  changesBooking: false,
  description: 'List the services the business offers, with ids, durations and prices.',
  args: z.strictObject({}),
  guardrail: { none: 'it takes no arguments and reads only what the business publishes' },
  // The services the turn opened with (`ToolScope.services`): no read of its own.
  handler: async (_args, { scope }) => ({
    services: scope.services.map((s) => ({ id: s.id, name: s.name, description: s.description, durationMinutes: s.durationMinutes, price: formatPrice(s.priceCents, s.currency) })),
  }),
  status: 'thinking',
  failure: (error) => describeFailure('list_services', error),
  summary: { none: 'it reads and changes nothing' },
});
