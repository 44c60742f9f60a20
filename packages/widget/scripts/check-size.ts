// `pnpm size` (and the last step of `pnpm build`): fails when a budget is exceeded, so CI does too.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { budgets, gzipKb, snippetGzipKb } from './sizes.js';

const bundle = await readFile(fileURLToPath(new URL('../dist/widget.js', import.meta.url)));
const measured = { bundle: gzipKb(bundle), snippet: snippetGzipKb() };
const over = [
  measured.bundle > budgets.bundleGzipKb && `bundle ${measured.bundle} kB > ${budgets.bundleGzipKb} kB`,
  measured.snippet > budgets.snippetGzipKb && `snippet ${measured.snippet} kB > ${budgets.snippetGzipKb} kB`,
].filter(Boolean);
console.log(`widget size: bundle ${measured.bundle} kB gzip (budget ${budgets.bundleGzipKb}), snippet ${measured.snippet} kB gzip (budget ${budgets.snippetGzipKb})`);
if (over.length > 0) {
  console.error(`widget size budget exceeded: ${over.join('; ')}`);
  process.exit(1);
}
