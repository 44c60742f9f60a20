// A local stand-in for OpenAI's streaming Chat Completions (`stream: true`): each request plays the
// next scripted reply as `chat.completion.chunk` server-sent events, then `[DONE]`. A promise among
// the pieces pauses the stream until it settles, so a test can interrupt a reply mid-way.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeOpenAI {
  url: string;
  /** Appends replies to the script, one per request, as pieces (a promise pauses the stream). */
  play(...replies: Array<Array<string | Promise<unknown>>>): void;
  /** Resolves when a client next closes a stream before its end (an aborted reply). */
  nextAbort(): Promise<void>;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const script: Array<Array<string | Promise<unknown>>> = [];
  let onAbort: Array<() => void> = [];
  let ids = 0;
  const server = createServer(async (request, response) => {
    const body = JSON.parse(await readBody(request)) as { model: string; stream?: boolean };
    const pieces = script.shift();
    if (!request.url?.endsWith('/chat/completions') || !body.stream || !pieces) {
      response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'unscripted request', type: 'server_error' } }));
      return;
    }
    const id = `chatcmpl-${++ids}`;
    const send = (delta: Record<string, unknown>, finish: string | null = null): void => {
      response.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1_772_700_000, model: body.model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] })}\n\n`);
    };
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    response.once('close', () => {
      if (response.writableEnded) return;
      for (const notify of onAbort) notify();
      onAbort = [];
    });
    send({ role: 'assistant', content: '' });
    for (const piece of pieces) {
      if (typeof piece === 'string') send({ content: piece });
      else await piece;
      if (response.destroyed) return;
    }
    send({}, 'stop');
    response.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    play: (...replies) => script.push(...replies),
    nextAbort: () => new Promise<void>((resolve) => onAbort.push(resolve)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
