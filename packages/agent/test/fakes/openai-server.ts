// A local stand-in for the OpenAI chat completions API. It plays a script, one step per request,
// so tests can drive the real `openai` SDK through tool calls, malformed arguments, unknown tools,
// server errors and timeouts, and inspect every request the SDK sent. A request with `stream: true`
// is answered in the streaming format (server-sent `chat.completion.chunk`s, then `[DONE]`).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ScriptStep =
  | { reply: string }
  /** A streamed reply in these pieces; a promise pauses the stream until it settles. */
  | { chunks: Array<string | Promise<unknown>> }
  /** Tool calls, after `say` when the model writes words before calling (streamed requests only). */
  | { toolCalls: Array<{ name: string; arguments: string | Record<string, unknown>; id?: string }>; say?: string }
  | { status: number; body?: unknown }
  | { delayMs: number; then?: ScriptStep }
  /** Holds the answer until `gate` settles (a slow model the test controls), then plays `then`. */
  | { gate: Promise<unknown>; then: ScriptStep }
  /** Builds the step from the request, e.g. to use a hold id a previous tool result returned. */
  | { dynamic: (request: RecordedRequest) => ScriptStep };

export interface RecordedRequest {
  model: string;
  messages: Array<{ role: string; content?: string | null; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>; tool_call_id?: string }>;
  tools?: Array<{ function: { name: string } }>;
  tool_choice?: unknown;
  stream?: boolean;
}

export interface FakeOpenAI {
  url: string;
  requests: RecordedRequest[];
  /** Appends steps to the script. */
  play(...steps: ScriptStep[]): void;
  /** Steps not yet played. */
  remaining(): number;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

let ids = 0;

function completion(model: string, message: Record<string, unknown>, finish: string) {
  return {
    id: `chatcmpl-${++ids}`,
    object: 'chat.completion',
    created: 1_772_700_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: null, ...message }, finish_reason: finish, logprobs: null }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

type FinalStep = Extract<ScriptStep, { reply: string } | { chunks: unknown } | { toolCalls: unknown }>;

/** Chat Completions' streaming format: one `chat.completion.chunk` per server-sent event, then `[DONE]`. */
async function streamStep(response: ServerResponse, input: { model: string; step: FinalStep }): Promise<void> {
  const { model, step } = input;
  const id = `chatcmpl-${++ids}`;
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = (delta: Record<string, unknown>, finish: string | null = null) =>
    response.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1_772_700_000, model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] })}\n\n`);
  send({ role: 'assistant', content: '' });
  if ('toolCalls' in step) {
    if (step.say) send({ content: step.say });
    step.toolCalls.forEach((call, index) => {
      const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
      const half = Math.floor(args.length / 2);
      send({ tool_calls: [{ index, id: call.id ?? `call_${++ids}`, type: 'function', function: { name: call.name, arguments: args.slice(0, half) } }] });
      send({ tool_calls: [{ index, function: { arguments: args.slice(half) } }] });
    });
    send({}, 'tool_calls');
  } else {
    const pieces = 'chunks' in step ? step.chunks : (step.reply.match(/\S+\s*|\s+/g) ?? []);
    for (const piece of pieces) {
      if (typeof piece === 'string') send({ content: piece });
      else await piece;
      if (response.destroyed) return;
    }
    send({}, 'stop');
  }
  response.end('data: [DONE]\n\n');
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const script: ScriptStep[] = [];
  const requests: RecordedRequest[] = [];
  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request);
    if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    const parsed = JSON.parse(body) as RecordedRequest;
    requests.push(parsed);
    let step = script.shift() ?? { status: 500, body: { error: { message: 'script exhausted', type: 'server_error' } } };
    while ('dynamic' in step || 'delayMs' in step || 'gate' in step) {
      if ('dynamic' in step) step = step.dynamic(parsed);
      else if ('gate' in step) {
        const { gate, then } = step;
        await gate;
        // Not `request.destroyed`: a request whose body was read to the end is destroyed by then.
        if (response.destroyed) return;
        step = then;
      } else {
        await new Promise((resolve) => setTimeout(resolve, (step as { delayMs: number }).delayMs));
        if (response.destroyed || request.destroyed) return;
        step = (step as { then?: ScriptStep }).then ?? { reply: 'late' };
      }
    }
    if ('status' in step) {
      response.writeHead(step.status, { 'content-type': 'application/json' }).end(JSON.stringify(step.body ?? { error: { message: 'boom', type: 'server_error' } }));
      return;
    }
    if (parsed.stream) {
      await streamStep(response, { model: parsed.model, step });
      return;
    }
    if ('chunks' in step) step = { reply: step.chunks.filter((c) => typeof c === 'string').join('') };
    const payload =
      'reply' in step
        ? completion(parsed.model, { content: step.reply }, 'stop')
        : completion(
            parsed.model,
            {
              tool_calls: step.toolCalls.map((call) => ({
                id: call.id ?? `call_${++ids}`,
                type: 'function',
                function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
              })),
            },
            'tool_calls',
          );
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    play: (...steps) => script.push(...steps),
    remaining: () => script.length,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The parsed JSON of the tool results in a request, in order. */
export function toolResults(request: RecordedRequest): Array<Record<string, unknown>> {
  return request.messages.filter((m) => m.role === 'tool').map((m) => JSON.parse(m.content ?? '{}') as Record<string, unknown>);
}
