// A local stand-in for Postmark's API: POST /email and GET /messages/outbound, as the official
// `postmark` SDK calls them (https://postmarkapp.com/developer/api/email-api). Tests script per-
// recipient failures; every accepted message is recorded so tests can count deliveries.
import { randomUUID } from 'node:crypto';
import { close, createServer, listen, readBody, Script, sendJson, type IncomingMessage, type ServerResponse } from './http-util.js';

export interface PostmarkReceived {
  messageId: string;
  to: string;
  from: string;
  subject: string;
  textBody: string;
  htmlBody: string | undefined;
  messageStream: string;
  metadata: Record<string, string>;
  headers: { Name: string; Value: string }[];
  attachments: { Name: string; Content: string; ContentType: string }[];
  receivedAt: Date;
}

export interface FakePostmark {
  url: string;
  /** host:port, for the SDK's `requestHost` with `useHttps: false`. */
  host: string;
  token: string;
  received: PostmarkReceived[];
  script: Script;
  /** Delay every answer by this much (simulates a slow provider). */
  delayMs: number;
  /** How many requests arrived for each outbox id (metadata), accepted or not. */
  countsByOutboxId(): Map<string, number>;
  close(): Promise<void>;
}

export async function startFakePostmark(options: { token?: string } = {}): Promise<FakePostmark> {
  const token = options.token ?? 'postmark-test-token';
  const received: PostmarkReceived[] = [];
  const script = new Script();
  const state = { delayMs: 0 };

  async function handleEmail(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const payload = JSON.parse(await readBody(req)) as Record<string, unknown>;
    const to = String(payload.To ?? '');
    const scripted = script.take(to);
    const delay = scripted?.delayMs ?? state.delayMs;
    if (scripted && scripted.status !== 200) {
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      sendJson(res, scripted.status, scripted.body ?? { ErrorCode: 500, Message: 'Scripted failure' });
      return;
    }
    const messageId = randomUUID();
    received.push({
      messageId,
      to,
      from: String(payload.From ?? ''),
      subject: String(payload.Subject ?? ''),
      textBody: String(payload.TextBody ?? ''),
      htmlBody: payload.HtmlBody as string | undefined,
      messageStream: String(payload.MessageStream ?? 'outbound'),
      metadata: (payload.Metadata ?? {}) as Record<string, string>,
      headers: (payload.Headers ?? []) as { Name: string; Value: string }[],
      attachments: (payload.Attachments ?? []) as { Name: string; Content: string; ContentType: string }[],
      receivedAt: new Date(),
    });
    // Accepted on arrival, answered late: what a slow provider does, and what makes timeouts risky.
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    sendJson(res, 200, { To: to, SubmittedAt: new Date().toISOString(), MessageID: messageId, ErrorCode: 0, Message: 'OK' });
  }

  function handleSearch(url: URL, res: ServerResponse): void {
    const recipient = url.searchParams.get('recipient');
    const outboxId = url.searchParams.get('metadata_outboxId');
    const matches = received.filter((m) => (!recipient || m.to === recipient) && (!outboxId || m.metadata.outboxId === outboxId));
    sendJson(res, 200, {
      TotalCount: matches.length,
      Messages: matches.map((m) => ({ MessageID: m.messageId, To: [{ Email: m.to }], Recipients: [m.to], Subject: m.subject, Metadata: m.metadata, Status: 'Sent', MessageStream: m.messageStream })),
    });
  }

  const server = createServer((req, res) => {
    if (req.headers['x-postmark-server-token'] !== token) {
      sendJson(res, 401, { ErrorCode: 10, Message: 'Request does not contain a valid Server token.' });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'POST' && url.pathname === '/email') {
      handleEmail(req, res).catch(() => sendJson(res, 500, { ErrorCode: 500, Message: 'fake crashed' }));
    } else if (req.method === 'GET' && url.pathname === '/messages/outbound') {
      handleSearch(url, res);
    } else {
      sendJson(res, 404, { ErrorCode: 404, Message: 'not found' });
    }
  });
  const url = await listen(server);
  return {
    url,
    host: url.replace('http://', ''),
    token,
    received,
    script,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
    countsByOutboxId() {
      const counts = new Map<string, number>();
      for (const m of received) counts.set(m.metadata.outboxId ?? '', (counts.get(m.metadata.outboxId ?? '') ?? 0) + 1);
      return counts;
    },
    close: () => close(server),
  };
}
