// Builds the script-tag bundle: one IIFE with Preact and the client inlined, minified for the
// browsers that matter to small-business visitors (anything from 2020 on).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

export interface BundleOptions {
  outfile: string;
  minify?: boolean;
}

/** Bundles src/loader.ts into `outfile`; returns the file's bytes. */
export async function buildWidgetBundle(options: BundleOptions): Promise<Uint8Array> {
  const result = await build({
    absWorkingDir: packageRoot,
    entryPoints: ['src/loader.ts'],
    outfile: options.outfile,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: options.minify ?? true,
    // The workspace packages are read from source, like the tests do; published builds resolve dist.
    conditions: ['source'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    treeShaking: true,
    write: true,
    metafile: false,
  });
  if (result.errors.length > 0) throw new Error(`widget bundle failed: ${result.errors.map((error) => error.text).join('; ')}`);
  const { readFile } = await import('node:fs/promises');
  return new Uint8Array(await readFile(options.outfile));
}
