import { gzipSync } from 'node:zlib';

/** Budgets from the issue: the whole script-tag bundle incl. Preact and the client, and the inline snippet. */
export const budgets = { bundleGzipKb: 25, snippetGzipKb: 1 };

/** Gzip size in kB (1 kB = 1000 bytes, the stricter reading), at the level CDNs serve. */
export function gzipKb(content: string | Uint8Array): number {
  return Math.round(gzipSync(content, { level: 9 }).length / 10) / 100;
}
