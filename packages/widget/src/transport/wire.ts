// tRPC 11's HTTP and SSE wire format, spoken directly. The full tRPC client (links, observables,
// batching) costs ~10 kB gzip; the widget needs three procedures and must stay under 25 kB with
// Preact included, so it speaks the documented protocol itself:
//   query    GET  /trpc/<path>?input=<json>       → {"result":{"data":…}} | {"error":{…,"data":{code,httpStatus}}}
//   mutation POST /trpc/<path>  body <json>
//   stream   GET  /trpc/<path>?input=<json>&connectionParams=<json>  (text/event-stream; `id:` = tracked id)
// Secrets never go in a URL: the key and the session token travel in headers, and a stream's URL
// carries only a single-use ticket (chat.streamTicket), spent when the stream opens.

export interface Endpoint {
  url: string;
  apiKey: string;
}

/** A failed call, shaped like a TRPCClientError so `classifyProblem` reads both the same way. */
export class WireError extends Error {
  readonly data: { code?: string; httpStatus?: number } | undefined;

  constructor(message: string, data?: { code?: string; httpStatus?: number }, cause?: unknown) {
    super(message, { cause });
    this.name = 'WireError';
    this.data = data;
  }
}

function withInput(url: string, input: unknown, extra = ''): string {
  return `${url}?input=${encodeURIComponent(JSON.stringify(input))}${extra}`;
}

/** The header a conversation's session token travels in. */
export const sessionTokenHeader = 'x-gomomo-session';

/** One query (GET) or mutation (POST), with the conversation's token in a header; resolves with the procedure's data. */
export async function callProcedure<T>(endpoint: Endpoint, call: { path: string; input: unknown; method: 'GET' | 'POST'; sessionToken?: string | undefined }): Promise<T> {
  const url = `${endpoint.url}/${call.path}`;
  let response: Response;
  try {
    response = await fetch(call.method === 'GET' ? withInput(url, call.input) : url, {
      method: call.method,
      headers: {
        authorization: `Bearer ${endpoint.apiKey}`,
        ...(call.method === 'POST' ? { 'content-type': 'application/json' } : {}),
        ...(call.sessionToken ? { [sessionTokenHeader]: call.sessionToken } : {}),
      },
      body: call.method === 'POST' ? JSON.stringify(call.input) : undefined,
      credentials: 'omit',
    });
  } catch (error) {
    throw new WireError('Network error', undefined, error);
  }
  const body = (await response.json().catch(() => undefined)) as { result?: { data: T }; error?: { message?: string; data?: { code?: string; httpStatus?: number } } } | undefined;
  if (response.ok && body?.result) return body.result.data;
  throw new WireError(body?.error?.message ?? `HTTP ${response.status}`, { httpStatus: response.status, ...body?.error?.data });
}

export interface StreamOptions {
  path: string;
  /** A fresh single-use ticket for each (re)connect. */
  ticket: () => Promise<string>;
  input: (lastEventId: string | undefined) => unknown;
  lastEventId?: string;
  onData: (id: string | undefined, data: unknown) => void;
  onOpen: () => void;
  onTrouble: (error: unknown) => void;
}

const maxBackoffMs = 30_000;

/**
 * A resumable SSE subscription. Each connect spends a ticket, so the browser's own reconnect (same
 * URL, spent ticket) cannot work: on any error we close the source and reopen with a new ticket and
 * backoff, passing the last id in the input so the server replays what was missed.
 */
export function openStream(endpoint: Endpoint, options: StreamOptions): () => void {
  let lastEventId = options.lastEventId;
  let source: EventSource | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let isClosed = false;

  function retry(error: unknown): void {
    options.onTrouble(error);
    if (isClosed) return;
    failures += 1;
    retryTimer = setTimeout(() => void connect(), Math.min(maxBackoffMs, 500 * 2 ** failures));
  }

  async function connect(): Promise<void> {
    if (typeof EventSource === 'undefined') return options.onTrouble(new Error('EventSource is not available'));
    let ticket: string;
    try {
      ticket = await options.ticket();
    } catch (error) {
      return retry(error);
    }
    if (isClosed) return;
    const params = `&connectionParams=${encodeURIComponent(JSON.stringify({ ticket }))}`;
    source = new EventSource(withInput(`${endpoint.url}/${options.path}`, options.input(lastEventId), params));
    source.addEventListener('connected', () => options.onOpen());
    // tRPC refuses a subscription (a spent or expired ticket) inside the stream, after `connected`:
    // so the backoff is reset only by data, never by `connected` alone.
    source.addEventListener('serialized-error', (event) => {
      source?.close();
      retry(event);
    });
    source.onmessage = (event) => {
      failures = 0;
      if (event.lastEventId) lastEventId = event.lastEventId;
      try {
        options.onData(event.lastEventId || undefined, JSON.parse(event.data as string));
      } catch (error) {
        options.onTrouble(error);
      }
    };
    source.onerror = (error) => {
      source?.close();
      retry(error);
    };
  }

  void connect();
  return () => {
    isClosed = true;
    if (retryTimer) clearTimeout(retryTimer);
    source?.close();
  };
}
