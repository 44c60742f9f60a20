import { createRequire } from 'node:module';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { exitGracefullyOnSignal } from './shutdown.js';

/** Starts the API: validates the configuration, builds the app, listens, and prints ONE ready line. */
export async function start(env: Record<string, string | undefined> = process.env): Promise<void> {
  const config = loadConfig(env);
  if (!config.DATABASE_URL && !isEmbeddedPostgresInstalled()) {
    // The Docker image (and any `--no-optional` install) has no embedded Postgres to fall back on.
    console.error('gomomo: DATABASE_URL is required: this installation has no embedded Postgres (@gomomo/embedded-postgres is not installed, as in the Docker image). Set DATABASE_URL=postgres://user:password@host:5432/db.');
    process.exit(2);
  }
  const app = await buildApp(config);
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  const port = new URL(address).port;
  const url = config.PUBLIC_BASE_URL ?? `http://localhost:${port}`;
  const { demo, adminSecret, isAdminSecretGenerated, database, isWidgetBuilt } = app.appInfo;
  const parts = [`gomomo ready at ${url}`, `database=${database.isEmbedded ? 'embedded' : 'external'}`, `brain=${config.OPENAI_API_KEY ? 'openai' : 'offline'}`];
  if (demo) parts.push(`publishable key ${demo.publishableKey}`, `secret key ${demo.secretKey}`);
  if (!isWidgetBuilt) parts.push('widget not built (run pnpm build to serve /widget.js)');
  if (isAdminSecretGenerated) parts.push(`admin secret ${adminSecret} (generated; set ADMIN_SECRET to keep one)`);
  console.log(parts.join(' | '));

  // Graceful shutdown: stop accepting, let in-flight requests finish, end live streams, close the pool.
  exitGracefullyOnSignal({
    graceMs: 10_000,
    close: (signal) => {
      app.log.info({ signal }, 'shutting down');
      return app.close();
    },
  });
}

/** False where the optional @gomomo/embedded-postgres was left out (the Docker image). */
function isEmbeddedPostgresInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@gomomo/embedded-postgres/package.json');
    return true;
  } catch {
    return false;
  }
}

start().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
