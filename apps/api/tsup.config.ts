import { defineConfig } from 'tsup';

// The production build of the hosted service: our own src bundled, every package (ours included,
// through their built dist) left external. `pnpm serve` runs it with plain node.
export default defineConfig({
  entry: ['src/main.ts', 'src/worker.ts', 'src/cli/gomomo.ts'],
  format: ['esm'],
  target: 'node20',
  sourcemap: true,
  clean: true,
  dts: false,
});
