import type * as EmbeddedPostgres from '@gomomo/embedded-postgres';

/**
 * Loads `@gomomo/embedded-postgres` on demand. It is an optional peer of core (about 59 MB of
 * Postgres binaries), so a deployment with its own DATABASE_URL never installs it; only the quick
 * start and test runs without a database of their own need it.
 */
export async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  try {
    return await import('@gomomo/embedded-postgres');
  } catch (cause) {
    if ((cause as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw cause;
    throw new Error('No DATABASE_URL was given and @gomomo/embedded-postgres is not installed: set DATABASE_URL to your Postgres, or install @gomomo/embedded-postgres for a local one.', { cause });
  }
}
