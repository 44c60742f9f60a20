// A local stand-in for OpenAI's streaming Chat Completions API, for browser tests that need a model
// writing word by word: each request plays the next script entry as server-sent
// `chat.completion.chunk`s, then `[DONE]`. A promise in the pieces pauses the stream until it settles;
// a number pauses it that many milliseconds (a model's pace, for the benchmark).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StreamingOpenAI {
  url: string;
  /** Appends replies to the script, one per request. */
  play(...replies: Array<Array<string | number | Promise<unknown>>>): void;
  close(): Promise<void>;
}

export async function startStreamingOpenAI(): Promise<StreamingOpenAI> {
  const script: Array<Array<string | number | Promise<unknown>>> = [];
  let ids = 0;
  const server = createServer(async (request, response) => {
    for await (const _chunk of request) {
      // The request is read to its end; the script decides the answer.
    }
    const pieces = script.shift() ?? ['Sorry, could you say that again?'];
    const id = `chatcmpl-${++ids}`;
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (delta: Record<string, unknown>, finish: string | null = null) =>
      response.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1_780_000_000, model: 'gpt-test', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
    send({ role: 'assistant', content: '' });
    for (const piece of pieces) {
      if (typeof piece === 'string') send({ content: piece });
      else await (typeof piece === 'number' ? new Promise((resolve) => setTimeout(resolve, piece)) : piece);
    }
    send({}, 'stop');
    response.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    play: (...replies) => script.push(...replies),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
