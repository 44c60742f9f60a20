import { gzipSync } from 'node:zlib';

/**
 * The console's own budget, apart from the widget's: staff load it once a day on any phone, so
 * it may be larger than the widget but must stay small (Preact included, no UI framework).
 */
export const budgets = { scriptGzipKb: 30, styleGzipKb: 4 };

/** Gzip size in kB (1 kB = 1000 bytes), at the level CDNs serve. */
export function gzipKb(content: string | Uint8Array): number {
  return Math.round(gzipSync(content, { level: 9 }).length / 10) / 100;
}
