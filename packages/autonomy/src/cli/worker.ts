#!/usr/bin/env node
// `pnpm worker`: the autonomous side in a process of its own (job runner + outbox sender), for
// deployments that keep it out of the API process. DATABASE_URL is required here: a separate
// worker cannot share the API's embedded Postgres.
import { createBookingEngine, createPool, migrate } from '@gomomo/core';
import { autonomyConfigFromEnv } from '../config.js';
import { startAutonomy } from '../start.js';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('gomomo-worker: set DATABASE_URL to the API database');
    process.exit(2);
  }
  const config = autonomyConfigFromEnv(process.env);
  // Each running job holds its transaction's connection and briefly takes a second one for the
  // policy decision and its audit row; the outbox sender and the queue's own queries need a few more.
  const pool = createPool(url, { max: 2 * config.concurrency + 6, applicationName: 'gomomo-worker' });
  await migrate(pool);
  const handle = await startAutonomy({ pool, config, engine: createBookingEngine({ pool }) });
  console.error(`gomomo-worker: running (concurrency ${config.concurrency}, autonomy ${config.enabled ? 'on' : 'off'})`);
  let isStopping = false;
  const shutdown = (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    console.error(`gomomo-worker: ${signal}, finishing running jobs`);
    handle
      .stop()
      .then(() => pool.end())
      .then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('gomomo-worker:', error);
  process.exit(1);
});
