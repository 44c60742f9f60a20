/** The header a conversation's session token travels in (never a URL). */
export const sessionTokenHeader = 'x-gomomo-session';

/** Per-call context naming a conversation: its token (anyone), or its id (staff with a secret key). */
// A type alias, not an interface: tRPC's per-call `context` is a Record<string, unknown>.
export type SessionContext = {
  sessionToken?: string;
  sessionId?: string;
};

/**
 * Options for one call about a conversation: the token goes in the `x-gomomo-session` header (and
 * for `chat.events`, into the single-use stream ticket), never into a URL.
 *
 * @example
 * const { sessionToken } = await gomomo.chat.send.mutate({ text: 'Hi' });
 * const history = await gomomo.chat.history.query(undefined, inSession({ sessionToken }));
 */
export function inSession(session: SessionContext): { context: SessionContext } {
  return { context: session };
}

/** The session named in an operation's context, if any. */
export function sessionOf(context: Record<string, unknown> | undefined): SessionContext {
  const token = context?.sessionToken;
  const id = context?.sessionId;
  return { ...(typeof token === 'string' ? { sessionToken: token } : {}), ...(typeof id === 'string' ? { sessionId: id } : {}) };
}

/**
 * Gets a single-use stream ticket: a POST with the key and the session token in headers, so the
 * stream's URL carries only a ticket that is spent when the stream opens.
 */
export async function fetchStreamTicket(options: { url: string; headers: Record<string, string>; session: SessionContext; fetch?: typeof fetch }): Promise<string> {
  const { session } = options;
  const response = await (options.fetch ?? fetch)(`${options.url}/chat.streamTicket`, {
    method: 'POST',
    headers: { ...options.headers, 'content-type': 'application/json', ...(session.sessionToken ? { [sessionTokenHeader]: session.sessionToken } : {}) },
    body: JSON.stringify(session.sessionId ? { sessionId: session.sessionId } : {}),
  });
  const body = (await response.json().catch(() => undefined)) as { result?: { data?: { ticket?: string } }; error?: { message?: string } } | undefined;
  const ticket = body?.result?.data?.ticket;
  if (!response.ok || !ticket) throw new Error(`chat.streamTicket failed (HTTP ${response.status}): ${body?.error?.message ?? 'no ticket'}`);
  return ticket;
}
