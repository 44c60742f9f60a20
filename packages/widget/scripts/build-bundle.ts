// `pnpm build` step 2: dist/widget.js (script tag) and dist/snippet.html (what a business pastes).
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderSnippet } from '../src/snippet/snippet.js';
import { buildWidgetBundle } from './bundle.js';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

await buildWidgetBundle({ outfile: `${dist}widget.js` });
const example = renderSnippet({ scriptUrl: 'https://YOUR-GOMOMO-HOST/widget.js', apiKey: 'pk_live_YOUR_KEY', attributes: { tenant: 'your-business' } });
await writeFile(`${dist}snippet.html`, `${example}\n`);
console.log('widget: built dist/widget.js and dist/snippet.html');
