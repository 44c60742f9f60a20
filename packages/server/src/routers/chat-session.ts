import { BookingError } from '@gomomo/core';
import { ServerError } from '../errors/server-error.js';
import type { KeyIdentity } from '../keys/keys.js';
import { depsOf, sessionTokenHeader, type RequestContext } from '../trpc/context.js';
import type { Receptionist } from '../trpc/receptionist.js';
import { sessionIdSchema } from './schemas.js';

/** How a call names its conversation: staff (secret key) by id, anyone by the session token. */
export const sessionSelector = { sessionId: sessionIdSchema.optional() };

/** A procedure's context after key verification. */
export type KeyedContext = RequestContext & { identity: KeyIdentity; tenantId: string };

/** The receptionist, or UNAVAILABLE when the server runs without one. */
export function requireReceptionist(ctx: RequestContext): Receptionist {
  const { receptionist } = depsOf(ctx);
  if (!receptionist) throw new ServerError('UNAVAILABLE', 'This server has no receptionist configured');
  return receptionist;
}

/** True when the call names a conversation at all (a token in header or body, or an id). */
export function namesSession(ctx: RequestContext, input: { sessionId?: string | undefined; sessionToken?: string | undefined }): boolean {
  return Boolean(input.sessionToken ?? ctx.sessionToken ?? input.sessionId);
}

/**
 * The conversation a call is about. Visitors (publishable keys) present the token the conversation
 * started with; staff with the tenant's secret key may name it by id instead. An unknown token or id
 * and another tenant's answer the same SESSION_NOT_FOUND: nothing tells a caller whether it exists.
 */
export async function resolveSession(ctx: KeyedContext, input: { sessionId?: string | undefined; sessionToken?: string | undefined }): Promise<string> {
  const token = input.sessionToken ?? ctx.sessionToken ?? undefined;
  if (input.sessionId !== undefined && ctx.identity.kind === 'publishable') {
    throw new ServerError('FORBIDDEN', `A publishable key names a conversation by its session token (the ${sessionTokenHeader} header), not by its id`);
  }
  if (token === undefined && input.sessionId === undefined) {
    const message = `sessionToken: send the conversation's session token in the ${sessionTokenHeader} header`;
    throw new BookingError('VALIDATION', message, { field: 'sessionToken', details: { issues: [{ field: 'sessionToken', message: `send it in the ${sessionTokenHeader} header` }] } });
  }
  const found = await requireReceptionist(ctx).findConversation({ tenantId: ctx.tenantId, ...(token !== undefined ? { token } : { sessionId: input.sessionId }) });
  if (!found) throw new ServerError('SESSION_NOT_FOUND', 'No conversation matches this session; send a message without one to start a new conversation');
  return found.sessionId;
}
