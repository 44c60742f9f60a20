import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { exitGracefullyOnSignal } from './shutdown.js';

/** Starts the API: validates the configuration, builds the app, listens, and prints ONE ready line. */
export async function start(env: Record<string, string | undefined> = process.env): Promise<void> {
  const config = loadConfig(env);
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

start().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
