import { exitCode, openDatabase, parseFlags, print, UsageError, type Command } from './run.js';
import { runDoctorChecks } from './doctor-checks.js';

export const doctorCommand: Command = {
  help: `gomomo doctor [--json] [--max-outbox-age S] [--max-queue-age S] [--max-clock-skew S]

Checks the deployment's database, one line per check:
  postgres       server version 14 or newer
  btree_gist     the extension is available (the no-double-booking constraint needs it)
  migrations     every migration applied
  rls_role       the role gomomo_app exists, cannot bypass row-level security, and we can switch to it
  listen_notify  a LISTEN/NOTIFY round trip (live push and the in-memory busy index need it)
  outbox         oldest due unsent message (fails over --max-outbox-age, default 900 s); permanently failed count
  queue          graphile-worker jobs due and locked, oldest due (fails over --max-queue-age, default 300 s)
  encryption_keys  every stored secret's key id is in GOMOMO_ENCRYPTION_KEYS (warns when some are not under the newest)
  clock_skew     this machine's clock against the database's (fails over --max-clock-skew, default 2 s)
--json prints {"ok":bool,"checks":[{"name","status":"ok|warn|fail","detail"}]}.
Exit codes: 0 every check ok or warn, 1 a check failed, 2 usage.`,
  async run(context) {
    const { values, positionals } = parseFlags(context.argv, { 'max-outbox-age': { type: 'string' }, 'max-queue-age': { type: 'string' }, 'max-clock-skew': { type: 'string' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const limits = {
      maxOutboxAgeSeconds: seconds('--max-outbox-age', values['max-outbox-age'], 900),
      maxQueueAgeSeconds: seconds('--max-queue-age', values['max-queue-age'], 300),
      maxClockSkewSeconds: seconds('--max-clock-skew', values['max-clock-skew'], 2),
      encryptionKeys: context.env.GOMOMO_ENCRYPTION_KEYS,
    };
    const db = await openDatabase(values, context.env);
    try {
      const checks = await runDoctorChecks(db.pool, limits);
      const isOk = checks.every((check) => check.status !== 'fail');
      const text = checks.map((check) => `${check.status.toUpperCase().padEnd(4)}  ${check.name.padEnd(13)}  ${check.detail}`).join('\n');
      print(context, { json: values.json, value: { ok: isOk, checks }, text });
      return isOk ? exitCode.ok : exitCode.failed;
    } finally {
      await db.close();
    }
  },
};

function seconds(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} takes a number of seconds, e.g. ${fallback}`);
  return n;
}
