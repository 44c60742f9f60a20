import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey } from '../src/keys/keys.js';
import { adminSecret, createHarness, tenantInput, trpcData, trpcError, type Harness, type TestTenant } from './harness.js';

let h: Harness;
let tenant: TestTenant;

beforeAll(async () => {
  h = await createHarness();
  tenant = await h.onboard('keys-clinic', 'https://keys.example');
});
afterAll(() => h.close());

describe('admin.createTenant', () => {
  it('returns a secret and a publishable key that are stored only as SHA-256 hashes', async () => {
    expect(tenant.secretKey).toMatch(/^sk_live_[0-9A-Za-z]{32}$/);
    expect(tenant.publishableKey).toMatch(/^pk_live_[0-9A-Za-z]{32}$/);
    const { rows } = await h.db.pool.query<{ key_hash: string; last4: string }>('SELECT key_hash, last4 FROM api_keys WHERE tenant_id = $1 ORDER BY kind DESC', [tenant.id]);
    expect(rows.map((r) => r.key_hash)).toEqual([hashKey(tenant.secretKey), hashKey(tenant.publishableKey)]);
    const dump = JSON.stringify((await h.db.pool.query('SELECT * FROM api_keys')).rows);
    expect(dump).not.toContain(tenant.secretKey.slice(8));
  });

  it('onboards a second tenant with no code change', async () => {
    const second = await h.onboard('keys-second', 'https://second.example');
    expect(second.id).not.toBe(tenant.id);
    const services = trpcData<{ name: string }[]>(await h.call('services.list', undefined, { key: second.secretKey }));
    expect(services.map((s) => s.name)).toEqual(['Consultation']);
  });

  it('rejects a bad tenant with 400 naming every bad field', async () => {
    const bad = { ...tenantInput('x', 'not-an-origin'), timeZone: 'Mars/Olympus', services: [] };
    const response = await h.call('admin.createTenant', bad, { key: adminSecret });
    expect(response.statusCode).toBe(400);
    const error = trpcError(response);
    expect(error.code).toBe('VALIDATION');
    expect(error.fields?.map((f) => f.field).sort()).toEqual(['allowedOrigins.0', 'services', 'slug', 'timeZone']);
  });

  it('answers 409 CONFLICT for a slug already taken', async () => {
    const response = await h.call('admin.createTenant', tenantInput('keys-clinic', 'https://x.example'), { key: adminSecret });
    expect(response.statusCode).toBe(409);
    expect(trpcError(response).code).toBe('CONFLICT');
  });
});

describe('authentication', () => {
  it.each([
    ['no key', null, 401, 'UNAUTHORIZED'],
    ['an unknown key', 'sk_live_0000000000000000000000000000000A', 401, 'UNAUTHORIZED'],
    ['a malformed key', 'hello', 401, 'UNAUTHORIZED'],
  ])('answers %s with %i', async (_name, key, status, code) => {
    const response = await h.call('bookings.list', {}, { key });
    expect(response.statusCode).toBe(status);
    expect(trpcError(response).code).toBe(code);
  });

  it('refuses a publishable key on a secret-only procedure with 403', async () => {
    const response = await h.call('bookings.list', {}, { key: tenant.publishableKey, origin: tenant.origin });
    expect(response.statusCode).toBe(403);
    expect(trpcError(response).message).toContain('publishable key');
  });

  it('accepts a publishable key from an allowed origin, and refuses it from others or none with 403', async () => {
    expect((await h.call('services.list', undefined, { key: tenant.publishableKey, origin: tenant.origin })).statusCode).toBe(200);
    expect((await h.call('services.list', undefined, { key: tenant.publishableKey, origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await h.call('services.list', undefined, { key: tenant.publishableKey })).statusCode).toBe(403);
  });

  it('takes the origin of a same-origin GET from its Referer', async () => {
    const response = await h.call('services.list', undefined, { key: tenant.publishableKey, headers: { referer: `${tenant.origin}/book?x=1` } });
    expect(response.statusCode).toBe(200);
  });

  it('refuses API keys on admin procedures with 403 and a wrong admin secret with 401', async () => {
    expect((await h.call('admin.listKeys', { tenantId: tenant.id }, { key: tenant.secretKey })).statusCode).toBe(403);
    expect((await h.call('admin.listKeys', { tenantId: tenant.id }, { key: 'wrong-admin-secret-000000' })).statusCode).toBe(401);
    expect((await h.call('admin.listKeys', { tenantId: tenant.id })).statusCode).toBe(401);
  });
});

describe('key management', () => {
  it('lists keys masked to their last four characters with created, last-used and revoked dates', async () => {
    await h.call('services.list', undefined, { key: tenant.secretKey });
    const keys = trpcData<{ kind: string; masked: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }[]>(
      await h.call('admin.listKeys', { tenantId: tenant.id }, { key: adminSecret }),
    );
    const secret = keys.find((k) => k.kind === 'secret')!;
    expect(secret.masked).toBe(`sk_live_…${tenant.secretKey.slice(-4)}`);
    expect(secret.createdAt).toBe('2026-12-01T13:00:00.000Z');
    expect(secret.lastUsedAt).toBe('2026-12-01T13:00:00.000Z');
    expect(secret.revokedAt).toBeNull();
    expect(JSON.stringify(keys)).not.toContain(tenant.secretKey);
  });

  it('creates a new key shown once, and a revoked key answers 401 from then on', async () => {
    const created = trpcData<{ id: string; key: string }>(await h.call('admin.createKey', { tenantId: tenant.id, kind: 'secret', name: 'ci' }, { key: adminSecret }));
    expect((await h.call('bookings.list', {}, { key: created.key })).statusCode).toBe(200);
    h.clock.advance(60_000);
    const revoked = trpcData<{ revokedAt: string }>(await h.call('admin.revokeKey', { tenantId: tenant.id, keyId: created.id }, { key: adminSecret }));
    expect(revoked.revokedAt).toBe('2026-12-01T13:01:00.000Z');
    const response = await h.call('bookings.list', {}, { key: created.key });
    expect(response.statusCode).toBe(401);
    expect(trpcError(response).message).toBe('The API key is not valid or has been revoked');
  });

  it('answers NOT_FOUND when revoking a key of another tenant', async () => {
    const other = await h.onboard('keys-third', 'https://third.example');
    const keys = trpcData<{ id: string }[]>(await h.call('admin.listKeys', { tenantId: other.id }, { key: adminSecret }));
    const response = await h.call('admin.revokeKey', { tenantId: tenant.id, keyId: keys[0]!.id }, { key: adminSecret });
    expect(response.statusCode).toBe(404);
    expect((await h.call('services.list', undefined, { key: other.secretKey })).statusCode).toBe(200);
  });
});

describe('onboardTenant', () => {
  it('writes tenant, origins and keys in one transaction: a failure in the key step leaves no tenant', async () => {
    // A real failure inside Postgres, raised by the second key's INSERT (after the tenant, its
    // services, origins and first key were written in the same transaction).
    await h.db.pool.query(`CREATE FUNCTION fail_publishable_key() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'key step failed'; END $$`);
    await h.db.pool.query(`CREATE TRIGGER fail_publishable_key BEFORE INSERT ON api_keys FOR EACH ROW WHEN (NEW.kind = 'publishable') EXECUTE FUNCTION fail_publishable_key()`);
    // NOTIFY is delivered only when a transaction commits: a tenant row committed even for a moment
    // (and deleted afterwards) would show up here.
    await h.db.pool.query(`CREATE FUNCTION notify_tenant_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('tenant_committed', NEW.slug); RETURN NEW; END $$`);
    await h.db.pool.query('CREATE TRIGGER notify_tenant_commit AFTER INSERT ON tenants FOR EACH ROW EXECUTE FUNCTION notify_tenant_commit()');
    const listener = await h.db.pool.connect();
    const committed: string[] = [];
    listener.on('notification', (message) => committed.push(message.payload ?? ''));
    await listener.query('LISTEN tenant_committed');
    try {
      const response = await h.call('admin.createTenant', tenantInput('half-made', 'https://half.example'), { key: adminSecret });
      expect(response.statusCode).toBe(500);
      const counts = await h.db.pool.query<{ tenants: number; services: number; origins: number }>(
        `SELECT (SELECT count(*)::int FROM tenants WHERE slug = 'half-made') AS tenants,
                (SELECT count(*)::int FROM services s WHERE NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = s.tenant_id)) AS services,
                (SELECT count(*)::int FROM allowed_origins WHERE origin = 'https://half.example') AS origins`,
      );
      expect(counts.rows[0]).toEqual({ tenants: 0, services: 0, origins: 0 });
      await listener.query('SELECT 1');
      expect(committed).toEqual([]);
    } finally {
      await listener.query('UNLISTEN *');
      listener.release();
      await h.db.pool.query('DROP TRIGGER fail_publishable_key ON api_keys; DROP FUNCTION fail_publishable_key()');
      await h.db.pool.query('DROP TRIGGER notify_tenant_commit ON tenants; DROP FUNCTION notify_tenant_commit()');
    }
    // The same onboarding succeeds once the failure is gone: nothing of the failed attempt is in the way.
    const retried = await h.call('admin.createTenant', tenantInput('half-made', 'https://half.example'), { key: adminSecret });
    expect(retried.statusCode).toBe(200);
  });
});

describe('audit of key management', () => {
  type AuditRow = { action: string; actor: string; channel: string; outcome: string; subject_id: string; details: Record<string, unknown> };
  async function auditOf(tenantId: string): Promise<AuditRow[]> {
    const { rows } = await h.db.pool.query<AuditRow>(
      "SELECT action, actor, channel, outcome, subject_id, details FROM audit_log WHERE tenant_id = $1 AND action IN ('tenant.onboard', 'api_key.create', 'api_key.revoke') ORDER BY seq",
      [tenantId],
    );
    return rows;
  }

  it('records onboarding and its two first keys as staff on the system channel, in the same transaction', async () => {
    const audited = await h.onboard('audited-clinic', 'https://audited.example');
    const rows = await auditOf(audited.id);
    expect(rows.map((r) => [r.action, r.actor, r.channel, r.outcome])).toEqual([
      ['tenant.onboard', 'staff', 'system', 'succeeded'],
      ['api_key.create', 'staff', 'system', 'succeeded'],
      ['api_key.create', 'staff', 'system', 'succeeded'],
    ]);
    expect(rows[0]!.subject_id).toBe(audited.id);
    expect(rows.slice(1).map((r) => r.details.masked)).toEqual([`sk_live_…${audited.secretKey.slice(-4)}`, `pk_live_…${audited.publishableKey.slice(-4)}`]);
    expect(JSON.stringify(rows)).not.toContain(audited.secretKey.slice(8));
  });

  it('records a key created and revoked through the admin procedures, and a repeated revocation only once', async () => {
    const created = trpcData<{ id: string; key: string }>(await h.call('admin.createKey', { tenantId: tenant.id, kind: 'publishable', name: 'website' }, { key: adminSecret }));
    trpcData(await h.call('admin.revokeKey', { tenantId: tenant.id, keyId: created.id }, { key: adminSecret }));
    trpcData(await h.call('admin.revokeKey', { tenantId: tenant.id, keyId: created.id }, { key: adminSecret }));
    const rows = (await auditOf(tenant.id)).filter((r) => r.subject_id === created.id);
    expect(rows.map((r) => [r.action, r.actor, r.channel])).toEqual([
      ['api_key.create', 'staff', 'system'],
      ['api_key.revoke', 'staff', 'system'],
    ]);
    expect(rows[0]!.details).toMatchObject({ kind: 'publishable', label: 'website' });
    expect(JSON.stringify(rows)).not.toContain(created.key.slice(8));
  });
});
