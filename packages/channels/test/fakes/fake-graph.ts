// A local stand-in for the Microsoft identity platform's token endpoint and Microsoft Graph's
// calendar calls as gomomo makes them with fetch: POST /token (authorization_code with PKCE S256,
// refresh_token with rotation), GET /v1.0/me, POST /v1.0/me/calendar/getSchedule, and events
// (create with transactionId de-duplication, PATCH, DELETE). Tests script failures and revoke grants.
import { createHash, randomBytes } from 'node:crypto';
import { close, createServer, listen, readBody, sendJson, type IncomingMessage, type ServerResponse } from './http-util.js';

export interface GraphEvent {
  id: string;
  subject: string;
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  transactionId?: string;
  body?: { content: string };
}

export interface FakeGraph {
  url: string;
  tokenUrl: string;
  authorizeUrl: string;
  graphBaseUrl: string;
  clientId: string;
  clientSecret: string;
  mailbox: string;
  events: Map<string, GraphEvent>;
  /** Free/busy items getSchedule answers (in UTC, as asked), besides the events we created. */
  scheduleItems: { status: string; subject?: string; start: { dateTime: string; timeZone: string }; end: { dateTime: string; timeZone: string } }[];
  refreshTokens: string[];
  requests: string[];
  consent(authorizationUrl: string): { code: string; state: string };
  revokeAll(): void;
  failNext(match: RegExp, status: number, body?: unknown): void;
  close(): Promise<void>;
}

export async function startFakeGraph(): Promise<FakeGraph> {
  const clientId = '11111111-2222-3333-4444-555555555555';
  const clientSecret = 'fake-graph-secret';
  const codes = new Map<string, string>();
  const refresh = new Set<string>();
  const access = new Set<string>();
  const events = new Map<string, GraphEvent>();
  const scheduleItems: FakeGraph['scheduleItems'] = [];
  const refreshTokens: string[] = [];
  const requests: string[] = [];
  const failures: { match: RegExp; status: number; body: unknown }[] = [];

  const issue = (res: ServerResponse) => {
    const refreshToken = `M.R3_fake-${randomBytes(12).toString('hex')}`;
    const accessToken = `eyJ0-fake-${randomBytes(12).toString('hex')}`;
    refresh.add(refreshToken);
    refreshTokens.push(refreshToken);
    access.add(accessToken);
    sendJson(res, 200, { token_type: 'Bearer', access_token: accessToken, refresh_token: refreshToken, expires_in: 3599, scope: 'Calendars.ReadWrite' });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const line = `${req.method} ${url.pathname}`;
    requests.push(line);
    const body = await readBody(req);
    const failure = failures.findIndex((f) => f.match.test(line));
    if (failure >= 0) {
      const [f] = failures.splice(failure, 1);
      return sendJson(res, f!.status, f!.body);
    }
    // Any …/token path: the API points MICROSOFT_LOGIN_BASE_URL here, so it asks for /common/oauth2/v2.0/token.
    if (req.method === 'POST' && url.pathname.endsWith('/token')) {
      const form = new URLSearchParams(body);
      if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) return sendJson(res, 401, { error: 'invalid_client' });
      if (form.get('grant_type') === 'authorization_code') {
        const challenge = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        if (!challenge || createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url') !== challenge) return sendJson(res, 400, { error: 'invalid_grant' });
        return issue(res);
      }
      // The identity platform rotates refresh tokens: the old one stops working.
      if (form.get('grant_type') === 'refresh_token' && refresh.delete(form.get('refresh_token') ?? '')) return issue(res);
      return sendJson(res, 400, { error: 'invalid_grant', error_description: 'AADSTS70008: The refresh token has expired or been revoked.' });
    }
    if (!access.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) return sendJson(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty or invalid.' } });
    if (line === 'GET /v1.0/me') return sendJson(res, 200, { mail: 'chen@clinic.example', userPrincipalName: 'chen@clinic.example' });
    if (line === 'POST /v1.0/me/calendar/getSchedule') {
      const ours = [...events.values()].map((e) => ({ status: 'busy', subject: e.subject, start: e.start, end: e.end }));
      const query = JSON.parse(body) as { schedules: string[] };
      return sendJson(res, 200, { value: query.schedules.map((scheduleId) => ({ scheduleId, scheduleItems: [...scheduleItems, ...ours] })) });
    }
    if (line === 'POST /v1.0/me/calendar/events') {
      const event = JSON.parse(body) as Omit<GraphEvent, 'id'>;
      const existing = [...events.values()].find((e) => event.transactionId && e.transactionId === event.transactionId);
      if (existing) return sendJson(res, 201, existing);
      const created = { ...event, id: `AAMk${randomBytes(8).toString('hex')}` };
      events.set(created.id, created);
      return sendJson(res, 201, created);
    }
    const one = /^\/v1\.0\/me\/events\/([^/]+)$/.exec(url.pathname);
    if (one) {
      const id = decodeURIComponent(one[1]!);
      const existing = events.get(id);
      if (!existing) return sendJson(res, 404, { error: { code: 'ErrorItemNotFound', message: 'The specified object was not found in the store.' } });
      if (req.method === 'PATCH') {
        events.set(id, { ...existing, ...(JSON.parse(body) as Partial<GraphEvent>), id });
        return sendJson(res, 200, events.get(id));
      }
      if (req.method === 'DELETE') {
        events.delete(id);
        res.writeHead(204).end();
        return;
      }
    }
    return sendJson(res, 404, { error: { code: 'NotFound', message: line } });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendJson(res, 500, { error: { code: 'InternalServerError', message: String(error) } }));
  });
  const url = await listen(server);
  return {
    tokenUrl: `${url}/token`,
    authorizeUrl: `${url}/authorize`,
    graphBaseUrl: `${url}/v1.0`,
    clientId,
    clientSecret,
    mailbox: 'chen@clinic.example',
    events,
    scheduleItems,
    refreshTokens,
    requests,
    url,
    consent(authorizationUrl) {
      const params = new URL(authorizationUrl).searchParams;
      const code = `M.C5_fake-${randomBytes(8).toString('hex')}`;
      codes.set(code, params.get('code_challenge') ?? '');
      return { code, state: params.get('state') ?? '' };
    },
    revokeAll() {
      refresh.clear();
      access.clear();
    },
    failNext(match, status, body) {
      failures.push({ match, status, body: body ?? { error: { code: status === 429 ? 'TooManyRequests' : 'ServiceNotAvailable', message: `Scripted ${status}` } } });
    },
    close: () => close(server),
  };
}
