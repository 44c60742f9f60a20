// A local stand-in for Twilio's Messages API (2010-04-01): create and list, with Basic auth, as the
// official `twilio` SDK calls them. The SDK has no base URL, so tests hand it `createFakeTwilioHttpClient`,
// a RequestClient that sends every request to this server instead of api.twilio.com.
import { randomBytes } from 'node:crypto';
import type { TwilioHttpClient } from '../../src/sms/outbound/twilio.js';
import { close, createServer, listen, readBody, Script, sendJson, type IncomingMessage, type ServerResponse } from './http-util.js';

export interface TwilioReceived {
  sid: string;
  to: string;
  from: string;
  body: string;
  statusCallback: string | undefined;
  dateCreated: Date;
}

export interface FakeTwilio {
  url: string;
  accountSid: string;
  authToken: string;
  received: TwilioReceived[];
  script: Script;
  delayMs: number;
  httpClient: TwilioHttpClient;
  close(): Promise<void>;
}

function messageJson(accountSid: string, m: TwilioReceived): Record<string, unknown> {
  return {
    sid: m.sid,
    account_sid: accountSid,
    to: m.to,
    from: m.from,
    body: m.body,
    status: 'queued',
    num_segments: '1',
    direction: 'outbound-api',
    date_created: m.dateCreated.toUTCString(),
    date_sent: m.dateCreated.toUTCString(),
    date_updated: m.dateCreated.toUTCString(),
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}.json`,
  };
}

/** A Twilio RequestClient that sends to `baseUrl` (the fake) with the SDK's own method, auth and params. */
export function createFakeTwilioHttpClient(baseUrl: string): TwilioHttpClient {
  const client = {
    async request(opts: { method: string; uri: string; username?: string; password?: string; headers?: Record<string, string>; params?: Record<string, unknown>; data?: Record<string, unknown>; timeout?: number }) {
      const target = new URL(opts.uri);
      const url = new URL(target.pathname + target.search, baseUrl);
      for (const [key, value] of Object.entries(opts.params ?? {})) if (value !== undefined) url.searchParams.append(key, String(value));
      const form = new URLSearchParams();
      for (const [key, value] of Object.entries(opts.data ?? {})) {
        if (Array.isArray(value)) for (const item of value) form.append(key, String(item));
        else if (value !== undefined) form.append(key, String(value));
      }
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (opts.username) headers.Authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password ?? ''}`).toString('base64')}`;
      const method = opts.method.toUpperCase();
      const response = await fetch(url, {
        method,
        headers,
        ...(method === 'POST' ? { body: form.toString() } : {}),
        signal: AbortSignal.timeout(opts.timeout ?? 30_000),
      });
      return { statusCode: response.status, body: await response.text(), headers: { "content-type": response.headers.get("content-type") ?? "" } };
    },
  };
  return client as unknown as TwilioHttpClient;
}

export async function startFakeTwilio(options: { accountSid?: string; authToken?: string } = {}): Promise<FakeTwilio> {
  const accountSid = options.accountSid ?? `AC${'0123456789abcdef'.repeat(2)}`;
  const authToken = options.authToken ?? 'twilio-test-token';
  const received: TwilioReceived[] = [];
  const script = new Script();
  const state = { delayMs: 0 };
  const base = `/2010-04-01/Accounts/${accountSid}/Messages.json`;

  async function handleCreate(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const to = form.get('To') ?? '';
    const scripted = script.take(to);
    const delay = scripted?.delayMs ?? state.delayMs;
    if (scripted && scripted.status !== 201) {
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      sendJson(res, scripted.status, scripted.body ?? { code: 20500, message: 'Scripted failure', status: scripted.status });
      return;
    }
    const message: TwilioReceived = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      to,
      from: form.get('From') ?? form.get('MessagingServiceSid') ?? '',
      body: form.get('Body') ?? '',
      statusCallback: form.get('StatusCallback') ?? undefined,
      dateCreated: new Date(),
    };
    received.push(message);
    // Accepted on arrival, answered late: what a slow provider does, and what makes timeouts risky.
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    sendJson(res, 201, messageJson(accountSid, message));
  }

  function handleList(url: URL, res: ServerResponse): void {
    const to = url.searchParams.get('To');
    const messages = received.filter((m) => !to || m.to === to).map((m) => messageJson(accountSid, m));
    sendJson(res, 200, { messages, first_page_uri: base, next_page_uri: null, previous_page_uri: null, page: 0, page_size: 50, start: 0, end: messages.length, uri: base });
  }

  const server = createServer((req, res) => {
    const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      sendJson(res, 401, { code: 20003, message: 'Authenticate', status: 401 });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname !== base) {
      sendJson(res, 404, { code: 20404, message: 'not found', status: 404 });
    } else if (req.method === 'POST') {
      handleCreate(req, res).catch(() => sendJson(res, 500, { code: 20500, message: 'fake crashed', status: 500 }));
    } else {
      handleList(url, res);
    }
  });
  const url = await listen(server);
  return {
    url,
    accountSid,
    authToken,
    received,
    script,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
    httpClient: createFakeTwilioHttpClient(url),
    close: () => close(server),
  };
}
