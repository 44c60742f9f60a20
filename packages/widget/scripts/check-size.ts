// `pnpm size` (and the last step of `pnpm build`): fails when a budget is exceeded, so CI does too.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderSnippetScript } from '../src/snippet/snippet.js';
import { budgets, gzipKb } from './sizes.js';

const bundle = await readFile(fileURLToPath(new URL('../dist/widget.js', import.meta.url)));
// Measured with realistic values filled in: a real URL and key, as a business would paste it.
const snippet = renderSnippetScript({
  scriptUrl: 'https://api.gomomo.example/widget.js',
  apiKey: 'pk_live_0123456789abcdef0123456789abcdef',
  attributes: { tenant: 'demo-clinic', language: 'es', color: '#2457d6' },
});
const measured = { bundle_gzip_kb: gzipKb(bundle), snippet_gzip_kb: gzipKb(snippet) };
const over = [
  measured.bundle_gzip_kb > budgets.bundleGzipKb && `bundle ${measured.bundle_gzip_kb} kB > ${budgets.bundleGzipKb} kB`,
  measured.snippet_gzip_kb > budgets.snippetGzipKb && `snippet ${measured.snippet_gzip_kb} kB > ${budgets.snippetGzipKb} kB`,
].filter(Boolean);
console.log(`widget size: bundle ${measured.bundle_gzip_kb} kB gzip (budget ${budgets.bundleGzipKb}), snippet ${measured.snippet_gzip_kb} kB gzip (budget ${budgets.snippetGzipKb})`);
if (over.length > 0) {
  console.error(`widget size budget exceeded: ${over.join('; ')}`);
  process.exit(1);
}
