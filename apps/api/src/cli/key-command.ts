import { findTenantBySlug, getTenant, isBookingError, systemClock, type Pool } from '@gomomo/core';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKeyKind } from '@gomomo/server';
import { exitCode, openDatabase, parseFlags, print, UsageError, type Command } from './run.js';

export const keyCommand: Command = {
  help: `gomomo key create --tenant SLUG|ID --kind secret|publishable [--name LABEL] [--json]
gomomo key revoke --tenant SLUG|ID KEY_ID [--json]
gomomo key list   --tenant SLUG|ID [--json]

Manages a tenant's API keys (audited in the tenant's log as a staff change on the system channel).
A created key is printed ONCE; only its hash is stored. list shows masked keys (sk_live_…a1B2).
revoke is idempotent.
Exit codes: 0 ok, 1 failed (no such tenant or key), 2 usage.`,
  async run(context) {
    const { values, positionals } = parseFlags(context.argv, { tenant: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' } });
    const [action, keyId, ...rest] = positionals;
    if (action !== 'create' && action !== 'revoke' && action !== 'list') throw new UsageError('expected: gomomo key create|revoke|list …');
    if (!values.tenant) throw new UsageError('--tenant is required (the tenant\'s slug or id)');
    if (rest.length > 0 || (action === 'revoke') !== (keyId !== undefined)) throw new UsageError(action === 'revoke' ? 'expected: gomomo key revoke --tenant T KEY_ID' : `unexpected argument ${keyId}`);
    if (action === 'create' && values.kind !== 'secret' && values.kind !== 'publishable') throw new UsageError('--kind must be secret or publishable');
    if (action === 'revoke' && !uuidPattern.test(keyId!)) throw new UsageError('KEY_ID must be a key id (a UUID, as key list shows)');
    const db = await openDatabase(values, context.env);
    try {
      const tenantId = await resolveTenant(db.pool, values.tenant);
      if (!tenantId) {
        context.err(`no tenant ${values.tenant}`);
        return exitCode.failed;
      }
      const now = systemClock.now();
      if (action === 'create') {
        const created = await createApiKey(db.pool, { tenantId, kind: values.kind as ApiKeyKind, ...(values.name ? { name: values.name } : {}), now });
        print(context, { json: values.json, value: created, text: `${created.key}\n(id ${created.id}; shown once: store it now)` });
        return exitCode.ok;
      }
      if (action === 'revoke') {
        const revoked = await revokeApiKey(db.pool, { tenantId, keyId: keyId!, now });
        if (!revoked) {
          context.err(`tenant ${values.tenant} has no key ${keyId}`);
          return exitCode.failed;
        }
        print(context, { json: values.json, value: revoked, text: `revoked ${revoked.masked} (${revoked.id}) at ${revoked.revokedAt}` });
        return exitCode.ok;
      }
      const keys = await listApiKeys(db.pool, tenantId);
      const lines = keys.map((k) => `${k.id}  ${k.kind.padEnd(11)}  ${k.masked}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}  ${k.name}`);
      print(context, { json: values.json, value: keys, text: lines.join('\n') || 'no keys' });
      return exitCode.ok;
    } finally {
      await db.close();
    }
  },
};

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The tenant's id from its slug or id; null when there is none. */
async function resolveTenant(pool: Pool, slugOrId: string): Promise<string | null> {
  if (!uuidPattern.test(slugOrId)) return (await findTenantBySlug(pool, slugOrId))?.id ?? null;
  try {
    return (await getTenant(pool, slugOrId)).id;
  } catch (error) {
    if (isBookingError(error) && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}
