import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';

interface CachedScript {
  mtimeMs: number;
  size: number;
  body: Buffer;
  etag: string;
}

/** Short enough that a new release reaches pages within minutes; the ETag makes revalidation cheap. */
const cacheControl = 'public, max-age=300, must-revalidate';

/** What is served when the bundle has not been built: valid JavaScript that says what to do. */
function missingScript(scriptPath: string): string {
  const message = `gomomo: the chat widget is not built (${scriptPath} is missing); run "pnpm build"`;
  return `console.error(${JSON.stringify(message)});\n`;
}

/**
 * Serves the widget's script-tag bundle (`@gomomo/widget/widget.js`) at `GET <route>` with a short
 * cache and a strong ETag. The file is re-read only when its size or mtime changes, so a rebuild is
 * picked up without a restart. A missing file is reported once in the log and answered with a 503
 * whose body is JavaScript that explains itself in the browser console, never a crash.
 */
export function registerWidgetScript(app: FastifyInstance, options: { scriptPath: string; route?: string }): void {
  let cached: CachedScript | undefined;
  let isMissingLogged = false;

  async function load(): Promise<CachedScript | null> {
    try {
      const info = await stat(options.scriptPath);
      if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached;
      const body = await readFile(options.scriptPath);
      cached = { mtimeMs: info.mtimeMs, size: info.size, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
      isMissingLogged = false;
      return cached;
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
      if (!isMissingLogged) app.log.warn({ scriptPath: options.scriptPath }, 'gomomo: widget.js is not built; run "pnpm build" to serve the chat widget');
      isMissingLogged = true;
      return null;
    }
  }

  app.get(options.route ?? '/widget.js', async (request, reply) => {
    const script = await load();
    reply.type('text/javascript; charset=utf-8');
    if (!script) return reply.code(503).header('cache-control', 'no-store').send(missingScript(options.scriptPath));
    reply.header('cache-control', cacheControl).header('etag', script.etag);
    // Any origin may load the script (it is public); the API calls it makes are checked per key and origin.
    reply.header('cross-origin-resource-policy', 'cross-origin');
    const match = request.headers['if-none-match'];
    if (typeof match === 'string' && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === script.etag)) return reply.code(304).send();
    return reply.send(script.body);
  });
}

/** True when the bundle exists at `scriptPath` (for the host's start-up message). */
export async function isWidgetScriptBuilt(scriptPath: string): Promise<boolean> {
  try {
    return (await stat(scriptPath)).isFile();
  } catch {
    return false;
  }
}
