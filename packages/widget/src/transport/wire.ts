// tRPC 11's HTTP and SSE wire format, spoken directly. The full tRPC client (links, observables,
// batching) costs ~10 kB gzip; the widget needs three procedures and must stay under 25 kB with
// Preact included, so it speaks the documented protocol itself:
//   query    GET  /trpc/<path>?input=<json>       → {"result":{"data":…}} | {"error":{…,"data":{code,httpStatus}}}
//   mutation POST /trpc/<path>  body <json>
//   stream   GET  /trpc/<path>?input=<json>&connectionParams=<json>  (text/event-stream; `id:` = tracked id)

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

/** One query (GET) or mutation (POST); resolves with the procedure's data. */
export async function callProcedure<T>(endpoint: Endpoint, call: { path: string; input: unknown; method: 'GET' | 'POST' }): Promise<T> {
  const url = `${endpoint.url}/${call.path}`;
  let response: Response;
  try {
    response = await fetch(call.method === 'GET' ? withInput(url, call.input) : url, {
      method: call.method,
      headers: { authorization: `Bearer ${endpoint.apiKey}`, ...(call.method === 'POST' ? { 'content-type': 'application/json' } : {}) },
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
  input: (lastEventId: string | undefined) => unknown;
  lastEventId?: string;
  onData: (id: string | undefined, data: unknown) => void;
  onOpen: () => void;
  onTrouble: (error: unknown) => void;
}

const maxBackoffMs = 30_000;

/**
 * A resumable SSE subscription. The browser's own EventSource reconnects after a network drop and
 * sends `Last-Event-ID`; when it gives up (an HTTP error closes it for good) we reopen with
 * backoff, passing the last id in the input so the server replays what was missed.
 */
export function openStream(endpoint: Endpoint, options: StreamOptions): () => void {
  let lastEventId = options.lastEventId;
  let source: EventSource | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let isClosed = false;

  function connect(): void {
    if (typeof EventSource === 'undefined') return options.onTrouble(new Error('EventSource is not available'));
    const params = `&connectionParams=${encodeURIComponent(JSON.stringify({ apiKey: endpoint.apiKey }))}`;
    source = new EventSource(withInput(`${endpoint.url}/${options.path}`, options.input(lastEventId), params));
    source.addEventListener('connected', () => {
      failures = 0;
      options.onOpen();
    });
    source.onmessage = (event) => {
      if (event.lastEventId) lastEventId = event.lastEventId;
      try {
        options.onData(event.lastEventId || undefined, JSON.parse(event.data as string));
      } catch (error) {
        options.onTrouble(error);
      }
    };
    source.onerror = (error) => {
      options.onTrouble(error);
      if (source?.readyState !== EventSource.CLOSED || isClosed) return;
      failures += 1;
      retryTimer = setTimeout(connect, Math.min(maxBackoffMs, 1000 * 2 ** failures));
    };
  }

  connect();
  return () => {
    isClosed = true;
    if (retryTimer) clearTimeout(retryTimer);
    source?.close();
  };
}
