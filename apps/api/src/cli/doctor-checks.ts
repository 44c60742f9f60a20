import { randomBytes } from 'node:crypto';
import { readOutboxHealth } from '@gomomo/channels';
import { findMissingSecretKeys, migrationStatus, parseEncryptionKeys, type Pool } from '@gomomo/core';
import { readQueueHealth } from '../observability/metrics.js';

/** One doctor finding: `fail` makes the command exit 1; `warn` is reported only. */
export interface CheckResult {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
}

/** Limits the health checks apply (seconds). */
export interface DoctorLimits {
  maxOutboxAgeSeconds: number;
  maxQueueAgeSeconds: number;
  maxClockSkewSeconds: number;
  /** GOMOMO_ENCRYPTION_KEYS as the API would read it (the encryption_keys check). */
  encryptionKeys?: string | undefined;
}

type Check = (pool: Pool, limits: DoctorLimits) => Promise<Omit<CheckResult, 'name'>>;

const ok = (detail: string) => ({ status: 'ok' as const, detail });
const fail = (detail: string) => ({ status: 'fail' as const, detail });

/** Every check, in the order an operator fixes things: reach the database, then its schema, then its health. */
export const doctorChecks: Record<string, Check> = {
  async postgres(pool) {
    const { rows } = await pool.query<{ num: string; version: string }>(`SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version`);
    const num = Number(rows[0]!.num);
    return num >= 140_000 ? ok(`PostgreSQL ${rows[0]!.version}`) : fail(`PostgreSQL ${rows[0]!.version}; gomomo needs 14 or newer`);
  },
  async btree_gist(pool) {
    const { rows } = await pool.query<{ installed: string | null }>(`SELECT installed_version AS installed FROM pg_available_extensions WHERE name = 'btree_gist'`);
    if (!rows[0]) return fail('the btree_gist extension is not available on this server (install postgresql-contrib)');
    return ok(rows[0].installed ? `installed (${rows[0].installed})` : 'available (migrations install it)');
  },
  async migrations(pool) {
    const status = await migrationStatus(pool);
    return status.pending.length === 0 ? ok(`${status.applied.length} applied, none pending`) : fail(`${status.pending.length} pending (${status.pending.join(', ')}): run gomomo migrate`);
  },
  async rls_role(pool) {
    const { rows } = await pool.query<{ super: boolean; bypass: boolean; member: boolean; me: string }>(
      `SELECT rolsuper AS super, rolbypassrls AS bypass, pg_has_role(current_user, oid, 'MEMBER') AS member, current_user AS me FROM pg_roles WHERE rolname = 'gomomo_app'`,
    );
    const role = rows[0];
    if (!role) return fail('the role gomomo_app does not exist: run gomomo migrate');
    if (role.super || role.bypass) return fail('gomomo_app can bypass row-level security (SUPERUSER or BYPASSRLS): tenants would see each other');
    if (!role.member) return fail(`${role.me} cannot SET ROLE gomomo_app (GRANT gomomo_app TO ${role.me})`);
    return ok('exists, cannot bypass RLS, and the connecting user can switch to it');
  },
  async listen_notify(pool) {
    const channel = `gomomo_doctor_${randomBytes(6).toString('hex')}`;
    const client = await pool.connect();
    try {
      const started = process.hrtime.bigint();
      const heard = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 5000);
        client.on('notification', (message) => {
          if (message.channel === channel) {
            clearTimeout(timer);
            resolve(true);
          }
        });
      });
      await client.query(`LISTEN ${channel}`);
      await pool.query('SELECT pg_notify($1, $2)', [channel, 'ping']);
      const isHeard = await heard;
      await client.query(`UNLISTEN ${channel}`);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      return isHeard ? ok(`round trip ${ms.toFixed(1)} ms`) : fail('no notification within 5 s (a transaction-mode pooler in the way? LISTEN needs a session connection)');
    } finally {
      client.release();
    }
  },
  async outbox(pool, limits) {
    const health = await readOutboxHealth(pool);
    const age = health.oldestDueSeconds;
    const failed = health.permanentlyFailed;
    const detail = `oldest due unsent ${age.toFixed(0)} s, permanently failed ${failed}`;
    if (age > limits.maxOutboxAgeSeconds) return fail(`${detail} (over ${limits.maxOutboxAgeSeconds} s: is a worker running?)`);
    return failed > 0 ? { status: 'warn', detail } : ok(detail);
  },
  async queue(pool, limits) {
    const queue = await readQueueHealth(pool);
    const detail = `due ${queue.due}, locked ${queue.locked}, oldest due ${queue.age.toFixed(0)} s, failed ${queue.failed}`;
    if (queue.age > limits.maxQueueAgeSeconds) return fail(`${detail} (over ${limits.maxQueueAgeSeconds} s: is a worker running?)`);
    return queue.failed > 0 ? { status: 'warn', detail } : ok(detail);
  },
  async encryption_keys(pool, limits) {
    const keyring = parseEncryptionKeys(limits.encryptionKeys);
    const { missingKeyIds, countByKeyId } = await findMissingSecretKeys(pool, keyring);
    const stored = Object.entries(countByKeyId).map(([id, n]) => `${n} under "${id}"`).join(', ') || 'no stored secrets';
    if (missingKeyIds.length > 0) return fail(`${stored}; GOMOMO_ENCRYPTION_KEYS lacks key id ${missingKeyIds.map((id) => `"${id}"`).join(', ')}: the API will refuse to start`);
    const older = Object.keys(countByKeyId).filter((id) => id !== keyring.ids[0]);
    if (older.length > 0) return { status: 'warn', detail: `${stored}; not all under the newest key "${keyring.ids[0]}": run gomomo secrets rotate` };
    return ok(`${keyring.ids.length} key(s) configured; ${stored}`);
  },
  async clock_skew(pool, limits) {
    const before = Date.now();
    const { rows } = await pool.query<{ ms: number }>(`SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms`);
    const after = Date.now();
    // The database read its clock somewhere inside the round trip: compare with the middle of it.
    const skew = (rows[0]!.ms - (before + after) / 2) / 1000;
    const detail = `database clock ${skew >= 0 ? 'ahead' : 'behind'} by ${Math.abs(skew).toFixed(3)} s (round trip ${after - before} ms)`;
    return Math.abs(skew) > limits.maxClockSkewSeconds ? fail(`${detail}: holds and reminders would expire at the wrong time; sync the clocks (NTP)`) : ok(detail);
  },
};

/** Runs every check; a check that throws is a failed check, not a crashed doctor. */
export async function runDoctorChecks(pool: Pool, limits: DoctorLimits): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [name, check] of Object.entries(doctorChecks)) {
    try {
      results.push({ name, ...(await check(pool, limits)) });
    } catch (error) {
      results.push({ name, status: 'fail', detail: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}
