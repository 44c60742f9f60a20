import { migrate, migrationStatus, renderMigrationSql } from '@gomomo/core';
import { exitCode, openDatabase, parseFlags, print, UsageError, type Command } from './run.js';

export const migrateCommand: Command = {
  help: `gomomo migrate [--print [--from N | --pending]] [--status] [--json] [--database-url URL]

Applies @gomomo/core's pending migrations to DATABASE_URL (one at a time, each in its own
transaction, serialised across processes by an advisory lock).
  --print        print the SQL instead of applying it (for a DBA to review or run); needs no database
  --from N       with --print: only the migrations numbered above N
  --pending      with --print: exactly the migrations DATABASE_URL still needs. Each package numbers
                 its migrations in a block of its own, so a release can add one numbered below the
                 highest applied: --from would leave it out
  --status       list applied and pending versions; exit 1 when some are pending
  --json         one JSON line: {"applied":[…]} or {"applied":[…],"pending":[…]}
Exit codes: 0 ok, 1 failed (or pending with --status), 2 usage.`,
  async run(context) {
    const { values } = parseFlags(context.argv, { print: { type: 'boolean' }, from: { type: 'string' }, pending: { type: 'boolean' }, status: { type: 'boolean' } });
    if (values.pending && !values.print) throw new UsageError('--pending goes with --print');
    if (values.print && values.pending) {
      if (values.from !== undefined) throw new UsageError('--from and --pending go separately: --pending prints what the database still needs');
      const db = await openDatabase(values, context.env);
      try {
        context.out(await renderMigrationSql({ versions: (await migrationStatus(db.pool)).pending }));
      } finally {
        await db.close();
      }
      return exitCode.ok;
    }
    if (values.print) {
      const fromVersion = values.from === undefined ? 0 : Number(values.from);
      if (!Number.isInteger(fromVersion) || fromVersion < 0) throw new UsageError('--from takes a migration number, e.g. --from 3');
      context.out(await renderMigrationSql({ fromVersion }));
      return exitCode.ok;
    }
    if (values.from !== undefined) throw new UsageError('--from goes with --print');
    const db = await openDatabase(values, context.env);
    try {
      if (values.status) {
        const status = await migrationStatus(db.pool);
        print(context, { json: values.json, value: status, text: `applied: ${status.applied.length}, pending: ${status.pending.join(', ') || 'none'}` });
        return status.pending.length ? exitCode.failed : exitCode.ok;
      }
      const applied = await migrate(db.pool, values.json ? {} : { log: (line) => context.out(line) });
      print(context, { json: values.json, value: { applied }, text: applied.length ? `applied ${applied.length} migration(s)` : 'database is up to date' });
      return exitCode.ok;
    } finally {
      await db.close();
    }
  },
};
