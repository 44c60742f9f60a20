import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  // The router types are inlined from @gomomo/server so the published package needs only @trpc/*.
  dts: {
    resolve: [/^@gomomo\//],
    compilerOptions: { customConditions: [], paths: { '@gomomo/server/contract': ['../server/src/contract/index.ts'], '@gomomo/core': ['../core/src/index.ts'], '@gomomo/contracts': ['../contracts/src/index.ts'], '@gomomo/policy': ['../policy/src/index.ts'], '@gomomo/channels': ['../channels/src/index.ts'], '@gomomo/agent': ['../agent/src/index.ts'] } },
  },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  external: ['@trpc/client', '@trpc/server', 'eventsource'],
});
