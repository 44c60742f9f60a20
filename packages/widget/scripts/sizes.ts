import { gzipSync } from 'node:zlib';
import { renderSnippetScript } from '../src/snippet/snippet.js';

/** Budgets from the issue: the whole script-tag bundle incl. Preact and the client, and the inline snippet. */
export const budgets = { bundleGzipKb: 25, snippetGzipKb: 1 };

/** Gzip size in kB (1 kB = 1000 bytes, the stricter reading), at the level CDNs serve. */
export function gzipKb(content: string | Uint8Array): number {
  return Math.round(gzipSync(content, { level: 9 }).length / 10) / 100;
}

/** The snippet measured as a business would paste it: a real URL and key, a few settings. */
export function snippetGzipKb(): number {
  return gzipKb(
    renderSnippetScript({
      scriptUrl: 'https://api.gomomo.example/widget.js',
      apiKey: 'pk_live_0123456789abcdef0123456789abcdef',
      attributes: { tenant: 'demo-clinic', language: 'es', color: '#2457d6' },
    }),
  );
}
