import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Starts `server` on a free loopback port and returns its base URL. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** One scripted answer: an HTTP status and body, optionally after a delay (a hang if long enough). */
export interface ScriptedResponse {
  status: number;
  body?: unknown;
  delayMs?: number;
}

/** Per-recipient queues of scripted answers; a recipient with none gets the success path. */
export class Script {
  private readonly queues = new Map<string, ScriptedResponse[]>();

  /** Answers the next `responses.length` requests for `recipient` with these, in order. */
  set(recipient: string, ...responses: ScriptedResponse[]): void {
    this.queues.set(recipient, [...(this.queues.get(recipient) ?? []), ...responses]);
  }

  take(recipient: string): ScriptedResponse | undefined {
    return this.queues.get(recipient)?.shift();
  }

  clear(): void {
    this.queues.clear();
  }
}

export { createServer };
export type { IncomingMessage, Server, ServerResponse };
