#!/usr/bin/env node
// gomomo-migrate: apply @gomomo/core's migrations, or print them for a DBA.
//   gomomo-migrate                 apply pending migrations to $DATABASE_URL (or the embedded database)
//   gomomo-migrate --print [--from N]  print the SQL instead of applying it (versions above N)
//   gomomo-migrate --print --pending   print exactly the versions $DATABASE_URL still needs
//   gomomo-migrate --status        list applied and pending versions
import { connectDatabase } from '../db/connect.js';
import { migrate, migrationStatus, renderMigrationSql } from '../db/migrate.js';

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--print') && argv.includes('--pending')) {
    if (argv.includes('--from')) throw new Error('--from and --pending go separately: --pending prints what the database still needs');
    const db = await connectDatabase({ databaseUrl: process.env.DATABASE_URL });
    try {
      process.stdout.write(await renderMigrationSql({ versions: (await migrationStatus(db.pool)).pending }));
    } finally {
      await db.close();
    }
    return;
  }
  if (argv.includes('--print')) {
    const fromIndex = argv.indexOf('--from');
    const fromVersion = fromIndex >= 0 ? Number(argv[fromIndex + 1]) : 0;
    if (!Number.isInteger(fromVersion) || fromVersion < 0) throw new Error('--from takes a migration number, e.g. --from 3');
    process.stdout.write(await renderMigrationSql({ fromVersion }));
    return;
  }
  const db = await connectDatabase({ databaseUrl: process.env.DATABASE_URL });
  try {
    if (argv.includes('--status')) {
      const status = await migrationStatus(db.pool);
      console.log(JSON.stringify(status));
      return;
    }
    const applied = await migrate(db.pool, { log: (line) => console.log(line) });
    console.log(applied.length ? `applied ${applied.length} migration(s)` : 'database is up to date');
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
