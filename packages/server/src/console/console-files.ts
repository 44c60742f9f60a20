import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The console page may run only its own script and style and talk only to this server; it is never
 * framed (clickjacking), and forms post nowhere else.
 */
export const consoleContentSecurityPolicy =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const files = {
  'index.html': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
} as const;

/**
 * Serves the built console (`@gomomo/console`'s dist: index.html, console.js, console.css) under
 * `/console` only: the widget's pages never load a byte of it. Every `/console…` page answers the
 * HTML shell (the app routes by hash); files are revalidated by ETag, so a deploy shows at once.
 * A missing build answers 503 with what to run.
 */
export function registerConsoleFiles(app: FastifyInstance, options: { dir: string }): void {
  async function send(name: keyof typeof files, request: { headers: Record<string, string | string[] | undefined> }, reply: FastifyReply) {
    let body: Buffer;
    try {
      body = await readFile(path.join(options.dir, name));
    } catch {
      return reply.code(503).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(`gomomo: the console is not built (${name} is missing in ${options.dir}); run "pnpm build"`);
    }
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    reply.type(files[name]).header('cache-control', 'no-cache').header('etag', etag);
    if (name === 'index.html') reply.header('content-security-policy', consoleContentSecurityPolicy);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(body);
  }
  app.get('/console', (request, reply) => send('index.html', request, reply));
  app.get('/console/', (request, reply) => send('index.html', request, reply));
  app.get('/console/console.js', (request, reply) => send('console.js', request, reply));
  app.get('/console/console.css', (request, reply) => send('console.css', request, reply));
}
