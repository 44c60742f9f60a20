import { defineConfig } from 'tsup';

// The npm entry: ESM for bundlers, Preact and the client left as imports (Preact is a peer).
// The script-tag bundle is built by scripts/build-bundle.ts with everything inlined.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2020',
  platform: 'browser',
  external: ['preact', 'preact/hooks', 'preact/jsx-runtime', '@gomomo/client'],
});
