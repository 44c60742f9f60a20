// One lint config for the whole monorepo. The import rules encode the dependency direction from
// ARCHITECTURE.md: core knows nothing of HTTP, LLMs or vendors; vendors' SDKs live only at the edges.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const vendors = ['openai', 'twilio', 'postmark', 'nodemailer', 'googleapis', 'graphile-worker'];
const http = ['fastify', '@fastify/*', '@trpc/*', 'trpc-to-openapi', 'node:http', 'http', 'undici'];
const ui = ['preact', 'preact/*'];

/** A restriction for packages that may only import the listed @gomomo packages. */
function allowOnly(allowed, extra = []) {
  const gomomo = ['contracts', 'embedded-postgres', 'core', 'policy', 'agent', 'channels', 'autonomy', 'server', 'client', 'widget']
    .filter((name) => !allowed.includes(name))
    .flatMap((name) => [`@gomomo/${name}`, `@gomomo/${name}/*`]);
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: gomomo, message: 'This package may not depend on that one (see ARCHITECTURE.md).' },
          ...(extra.length ? [{ group: extra, message: 'Vendors, HTTP and UI stay at the edges (see ARCHITECTURE.md).' }] : []),
          { group: ['**/internal/*', '!./internal/*', '!../internal/*', '!./*', '!../*'], message: 'Import another package through its public API.' },
        ],
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.data/**', '**/.turbo/**', '**/coverage/**', '**/test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      'max-params': ['error', 3],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // contracts depends on nothing of ours; every package may use it.
  { files: ['packages/contracts/src/**'], rules: allowOnly([], [...vendors, ...http, ...ui]) },
  { files: ['packages/embedded-postgres/src/**'], rules: allowOnly(['contracts'], [...vendors, ...http, ...ui]) },
  { files: ['packages/core/src/**'], rules: allowOnly(['contracts', 'embedded-postgres'], [...vendors, ...http, ...ui]) },
  { files: ['packages/policy/src/**'], rules: allowOnly(['contracts', 'core'], [...vendors, ...http, ...ui]) },
  { files: ['packages/agent/src/**'], ignores: ['packages/agent/src/providers/**'], rules: allowOnly(['contracts', 'core', 'policy'], [...vendors, ...http, ...ui]) },
  { files: ['packages/agent/src/providers/**'], rules: allowOnly(['contracts', 'core', 'policy'], [...http, ...ui]) },
  { files: ['packages/channels/src/**'], rules: allowOnly(['contracts', 'core', 'policy'], [...http, ...ui]) },
  { files: ['packages/autonomy/src/**'], rules: allowOnly(['contracts', 'core', 'policy', 'channels'], [...http, ...ui]) },
  { files: ['packages/server/src/**'], rules: allowOnly(['contracts', 'core', 'policy', 'agent', 'channels', 'autonomy'], ui) },
  { files: ['packages/client/src/**'], rules: allowOnly(['contracts', 'server'], ['fastify', 'pg', ...vendors, ...ui]) },
  { files: ['packages/widget/src/**'], rules: allowOnly(['contracts', 'client'], ['fastify', 'pg', ...vendors]) },
  {
    files: ['**/*.test.ts', '**/*.e2e.ts', '**/test/**', '**/bench/**'],
    rules: { 'max-params': 'off', 'no-restricted-imports': 'off' },
  },
);
