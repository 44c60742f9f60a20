// A local stand-in for a calendar server publishing ICS feeds (Google's "secret address in iCal
// format", an Outlook published calendar, a booking tool's export): each path is a feed with an
// ETag (answering 304 to If-None-Match), a redirect, a scripted failure, or an oversized body.
import { createHash } from 'node:crypto';
import { close, createServer, listen, type IncomingMessage, type ServerResponse } from './http-util.js';

export type IcsRoute = { ics: string; contentType?: string } | { redirect: string } | { status: number } | { bytes: number } | { hang: true };

export interface FakeIcsServer {
  url: string;
  routes: Map<string, IcsRoute>;
  /** Every request, as "path if-none-match" (the conditional header, or "-"). */
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeIcsServer(): Promise<FakeIcsServer> {
  const routes = new Map<string, IcsRoute>();
  const requests: string[] = [];
  function handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    requests.push(`${path} ${req.headers['if-none-match'] ?? '-'}`);
    const route = routes.get(path);
    if (!route) return void res.writeHead(404).end('not found');
    if ('redirect' in route) return void res.writeHead(302, { location: route.redirect }).end();
    if ('status' in route) return void res.writeHead(route.status).end('scripted failure');
    // Headers, a first line, then nothing: a server that stalls mid-answer.
    if ('hang' in route) return void res.writeHead(200, { 'content-type': 'text/calendar' }).write('BEGIN:VCALENDAR\r\n');
    if ('bytes' in route) {
      // Chunked, no Content-Length: the limit must hold on the bytes read, not on a promise.
      res.writeHead(200, { 'content-type': 'text/calendar' });
      const chunk = Buffer.alloc(64 * 1024, 'X');
      let sent = 0;
      const pump = () => {
        while (sent < route.bytes) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => {});
      return pump();
    }
    const etag = `"${createHash('sha256').update(route.ics).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { 'content-type': route.contentType ?? 'text/calendar; charset=utf-8', etag });
    res.end(route.ics);
  }
  const server = createServer(handle);
  const url = await listen(server);
  return { url, routes, requests, close: () => close(server) };
}
