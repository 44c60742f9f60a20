// A local stand-in for Google's OAuth 2 token endpoint and Calendar API v3, as google-auth-library
// and @googleapis/calendar call them: POST /token (authorization_code with PKCE S256, refresh_token),
// events list (sync tokens, 410 Gone for an expired one), insert (409 on a taken id), update,
// delete, and freeBusy. Tests script failures (401/403/410/429/5xx) per route and revoke grants.
import { createHash, randomBytes } from 'node:crypto';
import { close, createServer, listen, readBody, sendJson, type IncomingMessage, type ServerResponse } from './http-util.js';

export interface FakeEvent {
  id: string;
  status: 'confirmed' | 'cancelled';
  summary?: string;
  description?: string;
  transparency?: string;
  start: { dateTime?: string; date?: string };
  end: { dateTime?: string; date?: string };
  extendedProperties?: unknown;
  seq: number;
}

export interface FakeGoogle {
  url: string;
  /** The API root the calendar client takes (`rootUrl`, with its trailing slash). */
  apiRootUrl: string;
  authBaseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** The events of the `primary` calendar. */
  events: Map<string, FakeEvent>;
  /** The events of any calendar (one map per calendar id, made on first use). */
  eventsOf(calendarId: string): Map<string, FakeEvent>;
  /** Every request, as "METHOD path". */
  requests: string[];
  /** What the user's consent gives: a code for the PKCE challenge of an authorization URL. */
  consent(authorizationUrl: string): { code: string; state: string };
  /** The refresh tokens issued (to check they never leak). */
  refreshTokens: string[];
  /** The user revoked access: refreshes answer invalid_grant. */
  revokeAll(): void;
  /** Tokens revoked through the revocation endpoint (`POST /revoke`, RFC 7009), as the app asked. */
  revokedTokens: string[];
  /** Expires every sync token issued so far (the next incremental list answers 410). */
  expireSyncTokens(): void;
  /** Answers the next request whose "METHOD path" matches with this status and body. */
  failNext(match: RegExp, status: number, body?: unknown): void;
  /** Someone adds an event to the calendar in Google. */
  addEvent(event: Omit<FakeEvent, 'seq' | 'status'> & { status?: FakeEvent['status'] }): void;
  close(): Promise<void>;
}

export async function startFakeGoogle(): Promise<FakeGoogle> {
  const clientId = 'fake-client.apps.googleusercontent.com';
  const clientSecret = 'fake-client-secret';
  const codes = new Map<string, string>(); // code → code_challenge
  const refresh = new Set<string>();
  const access = new Set<string>();
  const calendars = new Map<string, Map<string, FakeEvent>>();
  const eventsOf = (calendarId: string): Map<string, FakeEvent> => {
    if (!calendars.has(calendarId)) calendars.set(calendarId, new Map());
    return calendars.get(calendarId)!;
  };
  const events = eventsOf('primary');
  const requests: string[] = [];
  const failures: { match: RegExp; status: number; body: unknown }[] = [];
  let seq = 0;
  let syncFloor = 0;
  const refreshTokens: string[] = [];
  const revokedTokens: string[] = [];

  const bump = () => ++seq;
  const publicEvent = ({ seq: _seq, ...event }: FakeEvent) => event;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const line = `${req.method} ${url.pathname}`;
    requests.push(line);
    const body = await readBody(req);
    const failure = failures.findIndex((f) => f.match.test(line));
    if (failure >= 0) {
      const [f] = failures.splice(failure, 1);
      sendJson(res, f!.status, f!.body);
      return;
    }
    if (line === 'POST /token') {
      const form = new URLSearchParams(body);
      if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) return sendJson(res, 401, { error: 'invalid_client' });
      if (form.get('grant_type') === 'authorization_code') {
        const challenge = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        if (!challenge || createHash('sha256').update(verifier).digest('base64url') !== challenge) return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Bad code or verifier' });
        const refreshToken = `1//fake-refresh-${randomBytes(12).toString('hex')}`;
        const accessToken = `ya29.fake-${randomBytes(12).toString('hex')}`;
        refresh.add(refreshToken);
        refreshTokens.push(refreshToken);
        access.add(accessToken);
        return sendJson(res, 200, { access_token: accessToken, refresh_token: refreshToken, expires_in: 3599, token_type: 'Bearer', scope: 'https://www.googleapis.com/auth/calendar.events' });
      }
      if (form.get('grant_type') === 'refresh_token') {
        if (!refresh.has(form.get('refresh_token') ?? '')) return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
        const accessToken = `ya29.fake-${randomBytes(12).toString('hex')}`;
        access.add(accessToken);
        return sendJson(res, 200, { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' });
      }
      return sendJson(res, 400, { error: 'unsupported_grant_type' });
    }
    // Google's revocation endpoint: the refresh token (and what it issued) stops working.
    if (line === 'POST /revoke') {
      const token = new URLSearchParams(body).get('token') ?? '';
      if (!refresh.delete(token)) return sendJson(res, 400, { error: 'invalid_token', error_description: 'Token expired or revoked' });
      revokedTokens.push(token);
      return sendJson(res, 200, {});
    }
    if (!access.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) {
      return sendJson(res, 401, { error: { code: 401, message: 'Request had invalid authentication credentials.', errors: [{ reason: 'authError' }] } });
    }
    const eventsPath = /^\/calendar\/v3\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/.exec(url.pathname);
    if (line === 'POST /calendar/v3/freeBusy') {
      const query = JSON.parse(body) as { timeMin: string; timeMax: string; items: { id: string }[] };
      const busy = [...events.values()]
        .filter((e) => e.status === 'confirmed' && e.transparency !== 'transparent' && e.start.dateTime && e.end.dateTime)
        .filter((e) => e.start.dateTime! < query.timeMax && e.end.dateTime! > query.timeMin)
        .map((e) => ({ start: e.start.dateTime, end: e.end.dateTime }));
      return sendJson(res, 200, { kind: 'calendar#freeBusy', calendars: Object.fromEntries(query.items.map((item) => [item.id, { busy }])) });
    }
    if (!eventsPath) return sendJson(res, 404, { error: { code: 404, message: 'Not Found' } });
    const eventId = eventsPath[2] ? decodeURIComponent(eventsPath[2]) : undefined;
    const calendar = eventsOf(decodeURIComponent(eventsPath[1]!));
    if (req.method === 'GET' && !eventId) {
      const syncToken = url.searchParams.get('syncToken');
      let since = 0;
      if (syncToken) {
        since = Number(syncToken.replace('st-', ''));
        if (since < syncFloor) return sendJson(res, 410, { error: { code: 410, message: 'Sync token is no longer valid, a full sync is required.', errors: [{ reason: 'fullSyncRequired' }] } });
      }
      const items = [...calendar.values()].filter((e) => (syncToken ? e.seq > since : e.status === 'confirmed')).map(publicEvent);
      return sendJson(res, 200, { kind: 'calendar#events', timeZone: 'America/New_York', items, nextSyncToken: `st-${seq}` });
    }
    if (req.method === 'POST' && !eventId) {
      const event = JSON.parse(body) as FakeEvent;
      if (calendar.has(event.id)) return sendJson(res, 409, { error: { code: 409, message: 'The requested identifier already exists.', errors: [{ reason: 'duplicate' }] } });
      calendar.set(event.id, { ...event, status: 'confirmed', seq: bump() });
      return sendJson(res, 200, publicEvent(calendar.get(event.id)!));
    }
    const existing = eventId ? calendar.get(eventId) : undefined;
    if (req.method === 'PUT' && eventId) {
      if (!existing) return sendJson(res, 404, { error: { code: 404, message: 'Not Found' } });
      calendar.set(eventId, { ...existing, ...(JSON.parse(body) as FakeEvent), id: eventId, seq: bump() });
      return sendJson(res, 200, publicEvent(calendar.get(eventId)!));
    }
    if (req.method === 'DELETE' && eventId) {
      if (!existing) return sendJson(res, 404, { error: { code: 404, message: 'Not Found' } });
      if (existing.status === 'cancelled') return sendJson(res, 410, { error: { code: 410, message: 'Resource has been deleted' } });
      calendar.set(eventId, { ...existing, status: 'cancelled', seq: bump() });
      res.writeHead(204).end();
      return;
    }
    return sendJson(res, 405, { error: { code: 405, message: 'Method not allowed' } });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendJson(res, 500, { error: { code: 500, message: String(error) } }));
  });
  const url = await listen(server);
  return {
    url,
    apiRootUrl: `${url}/`,
    authBaseUrl: `${url}/o/oauth2/v2/auth`,
    tokenUrl: `${url}/token`,
    clientId,
    clientSecret,
    events,
    eventsOf,
    requests,
    refreshTokens,
    revokedTokens,
    consent(authorizationUrl) {
      const params = new URL(authorizationUrl).searchParams;
      const code = `4/fake-code-${randomBytes(8).toString('hex')}`;
      codes.set(code, params.get('code_challenge') ?? '');
      return { code, state: params.get('state') ?? '' };
    },
    revokeAll() {
      refresh.clear();
      access.clear();
    },
    expireSyncTokens() {
      seq += 1;
      syncFloor = seq;
    },
    failNext(match, status, body) {
      failures.push({ match, status, body: body ?? { error: { code: status, message: `Scripted ${status}`, errors: [{ reason: status === 429 ? 'rateLimitExceeded' : 'backendError' }] } } });
    },
    addEvent(event) {
      events.set(event.id, { status: 'confirmed', ...event, seq: bump() });
    },
    close: () => close(server),
  };
}
