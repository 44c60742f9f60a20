// `pnpm worker`: the autonomous side (job runner + outbox sender) in a process of its own, for
// deployments that keep it out of the API (set AUTONOMY_IN_API=false on the API then). Same
// configuration as the API, validated the same way. It needs DATABASE_URL: the embedded Postgres
// belongs to the API process that started it and cannot be shared with a second process.
import { issueOfferLink } from '@gomomo/agent';
import { startAutonomy } from '@gomomo/autonomy';
import { assertSecretKeysPresent, connectDatabase, createBookingEngine, createPool, migrate, parseEncryptionKeys, systemClock } from '@gomomo/core';
import { createCalendarProvider } from '@gomomo/channels';
import { googleOptionsOf, icsImportOptionsOf, microsoftOptionsOf } from './calendars.js';
import { createPolicyEngine, setAuditPseudonymKey } from '@gomomo/policy';
import { exitGracefullyOnSignal } from './shutdown.js';
import { ConfigError, loadConfig, sslOption } from './config.js';

/** Starts the worker; resolves once it runs, and stops it (exit 0) on SIGTERM/SIGINT. */
export async function startWorker(env: Record<string, string | undefined> = process.env): Promise<void> {
  const config = loadConfig(env);
  if (!config.DATABASE_URL) {
    console.error('gomomo worker: DATABASE_URL is required. A separate worker cannot use the embedded Postgres of `pnpm start`, which already runs the worker inside the API (AUTONOMY_IN_API, default true).');
    process.exit(2);
  }
  const ssl = sslOption(config);
  const database = await connectDatabase({
    databaseUrl: config.DATABASE_URL,
    max: config.autonomy.concurrency + 4,
    applicationName: 'gomomo-worker',
    ...(ssl === undefined ? {} : { ssl }),
  });
  const { pool } = database;
  // Through PgBouncer in transaction mode, the job queue (it LISTENs) and the sender's LISTEN go direct.
  const listenPool = config.DATABASE_LISTEN_URL
    ? createPool(config.DATABASE_LISTEN_URL, { max: config.autonomy.concurrency + 4, applicationName: 'gomomo-worker-listen', ...(ssl === undefined ? {} : { ssl }) })
    : undefined;
  await migrate(listenPool ?? pool);
  // The same audit key as the API, so both write the same pseudonyms.
  if (config.GOMOMO_AUDIT_KEY) setAuditPseudonymKey(config.GOMOMO_AUDIT_KEY);
  // Like the API: stored secrets no configured key can read stop the start, naming the key id.
  const keyring = parseEncryptionKeys(config.GOMOMO_ENCRYPTION_KEYS);
  await assertSecretKeysPresent(pool, keyring);
  const google = googleOptionsOf(config);
  const microsoft = microsoftOptionsOf(config);
  const ics = icsImportOptionsOf(config, keyring);
  const handle = await startAutonomy({
    pool,
    listenPool,
    config: config.autonomy,
    engine: createBookingEngine({ pool }),
    issueOfferLink,
    ...(google || microsoft || ics ? { calendar: createCalendarProvider({ pool, clock: systemClock, keyring, google: google ?? undefined, microsoft: microsoft ?? undefined, ics, maxStalenessMs: config.CALENDAR_MAX_STALENESS_SECONDS * 1000, onError: (error) => console.error(`[calendar] ${error instanceof Error ? error.message : String(error)}`) }) } : {}),
    policy: createPolicyEngine({ pool }),
    log: (line) => console.error(line),
    // One JSON line per handled event, with the correlation id of the request that caused it.
    hooks: { onEventHandled: (info) => console.log(JSON.stringify({ level: 'info', msg: 'domain event handled', ...info })) },
  });
  console.log(`gomomo worker running | concurrency ${config.autonomy.concurrency} | autonomy ${config.autonomy.enabled ? 'on' : 'off'} | outbox sender ${config.autonomy.runSender ? 'on' : 'off'}`);

  exitGracefullyOnSignal({
    graceMs: 30_000,
    close: async (signal) => {
      console.error(`gomomo worker: ${signal}, finishing running jobs`);
      await handle.stop();
      await listenPool?.end();
      await database.close();
    },
  });
}

startWorker().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
