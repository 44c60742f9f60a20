// Builds the console: one minified ES module with Preact inlined, its stylesheet and the HTML shell.
// Nothing here is inlined into the page, so the server can send a CSP without 'unsafe-inline'.
import { build } from 'esbuild';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** The page every /console URL answers with; the app routes by the URL's hash. */
export const indexHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>gomomo console</title>
<link rel="stylesheet" href="/console/console.css">
<script type="module" src="/console/console.js"></script>
</head>
<body>
<div id="app"><p class="loading">Loading the console…</p></div>
</body>
</html>
`;

/** Writes console.js, console.css and index.html into `outdir`. */
export async function buildConsole(options: { outdir: string; minify?: boolean }): Promise<void> {
  await mkdir(options.outdir, { recursive: true });
  const result = await build({
    absWorkingDir: packageRoot,
    entryPoints: ['src/main.tsx'],
    outfile: path.join(options.outdir, 'console.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: options.minify ?? true,
    conditions: ['source'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    treeShaking: true,
    write: true,
  });
  if (result.errors.length > 0) throw new Error(`console bundle failed: ${result.errors.map((error) => error.text).join('; ')}`);
  await copyFile(path.join(packageRoot, 'src/ui/console.css'), path.join(options.outdir, 'console.css'));
  await writeFile(path.join(options.outdir, 'index.html'), indexHtml);
}
