// `pnpm size` (and the last step of `pnpm build`): fails when a budget is exceeded, so CI does too.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { budgets, gzipKb } from './sizes.js';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const measured = { script: gzipKb(await readFile(`${dist}console.js`)), style: gzipKb(await readFile(`${dist}console.css`)) };
const over = [
  measured.script > budgets.scriptGzipKb && `console.js ${measured.script} kB > ${budgets.scriptGzipKb} kB`,
  measured.style > budgets.styleGzipKb && `console.css ${measured.style} kB > ${budgets.styleGzipKb} kB`,
].filter(Boolean);
console.log(`console size: script ${measured.script} kB gzip (budget ${budgets.scriptGzipKb}), style ${measured.style} kB gzip (budget ${budgets.styleGzipKb})`);
if (over.length > 0) {
  console.error(`console size budget exceeded: ${over.join('; ')}`);
  process.exit(1);
}
