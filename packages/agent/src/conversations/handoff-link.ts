import { readActiveHoldsOfSession, readHoldView, siteUrlOf, withTenant, type Pool } from '@gomomo/core';
import { issueOfferLink } from './offer-links.js';

/**
 * The phone → text handoff ("text me a link"): a single-use link that opens the tenant's web chat
 * on the call's own conversation — what was said as the chat's history, the slot the call is
 * holding presented for a yes. Built on the waitlist offer's link (same token, same expiry with the
 * hold), naming the conversation: redeeming it binds a fresh web token to the call's conversation,
 * once. The token sits in the URL fragment (`#gomomo-offer=…`), which browsers never send to a server.
 *
 * Null when the conversation holds nothing or the tenant has no `settings.siteUrl`: the voice
 * channel then offers a person instead.
 */
export async function issueHandoffLink(pool: Pool, input: { tenantId: string; sessionId: string; now: Date }): Promise<string | null> {
  return withTenant(pool, input.tenantId, async (client) => {
    const holds = await readActiveHoldsOfSession(client, input);
    const hold = holds.filter((h) => h.expiresAt > input.now).sort((a, b) => b.expiresAt.getTime() - a.expiresAt.getTime())[0];
    if (!hold) return null;
    const view = await readHoldView(client, { tenantId: input.tenantId, holdId: hold.id });
    const site = siteUrlOf(view?.tenantSettings ?? {});
    if (!site) return null;
    const token = await issueOfferLink(client, { tenantId: input.tenantId, holdId: hold.id, expiresAt: hold.expiresAt, now: input.now, sessionId: input.sessionId });
    site.hash = `gomomo-offer=${token}`;
    return site.toString();
  }, { isolation: 'read committed' });
}
