// A third-party website: a plain node:http server on its own port, so its origin differs from
// the API's and every call the widget makes is cross-origin, as on a real customer's site.
import { createServer, type Server } from 'node:http';

export interface HostSite {
  origin: string;
  /** Serves `html` at `path` from now on. */
  page(path: string, html: string): string;
  close(): Promise<void>;
}

export async function startHostSite(): Promise<HostSite> {
  const pages = new Map<string, string>();
  const server: Server = createServer((request, response) => {
    const html = pages.get(new URL(request.url ?? '/', 'http://host').pathname);
    response.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(html ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the host site did not bind a TCP port');
  // "localhost" rather than 127.0.0.1: a different host as well as a different port from the API.
  const origin = `http://localhost:${address.port}`;
  return {
    origin,
    page(path, html) {
      pages.set(path, html);
      return `${origin}${path}`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A small business's page with the widget's script tag. */
export function hostPage(options: { scriptUrl: string; apiKey: string; head?: string; body?: string; attributes?: Record<string, string> }): string {
  const attributes = Object.entries({ tenant: 'demo-clinic', ...options.attributes })
    .map(([name, value]) => ` data-${name}="${value}"`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Smile Dental</title>${options.head ?? ''}</head>
<body><h1>Smile Dental</h1><p>Family dentistry since 1998.</p>${options.body ?? ''}
<script async src="${options.scriptUrl}" data-key="${options.apiKey}"${attributes}></script>
</body></html>`;
}
