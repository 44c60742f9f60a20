// `pnpm build`: dist/index.html, dist/console.js and dist/console.css, served by @gomomo/server at /console.
import { fileURLToPath } from 'node:url';
import { buildConsole } from './bundle.js';

await buildConsole({ outdir: fileURLToPath(new URL('../dist/', import.meta.url)) });
console.log('console: built dist/index.html, dist/console.js, dist/console.css');
