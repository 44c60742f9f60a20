import { createHash } from 'node:crypto';
import { createTenant, demoTenantInput } from '@gomomo/core';
import { createTestDatabase, recordStatements, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findConversation, isSessionTokenFormat, startConversation } from './session-tokens.js';

let db: TestDatabase;
let tenantA: string;
let tenantB: string;
const now = new Date('2026-12-01T15:00:00Z');

beforeAll(async () => {
  db = await createTestDatabase();
  tenantA = (await createTenant(db.pool, { ...demoTenantInput, slug: 'tokens-a' })).id;
  tenantB = (await createTenant(db.pool, { ...demoTenantInput, slug: 'tokens-b' })).id;
});
afterAll(() => db.drop());

describe('startConversation and findConversation', () => {
  it('issues a 256-bit token, stores only its SHA-256, and finds the conversation by it', async () => {
    const started = await startConversation(db.pool, { tenantId: tenantA, channel: 'web', now });
    expect(isSessionTokenFormat(started.token)).toBe(true);
    expect(Buffer.from(started.token.slice(4), 'base64url')).toHaveLength(32);
    const { rows } = await db.pool.query<{ token_hash: Buffer }>('SELECT token_hash FROM agent_sessions WHERE id = $1', [started.sessionId]);
    expect(rows[0]!.token_hash.equals(createHash('sha256').update(started.token).digest())).toBe(true);
    expect(await findConversation(db.pool, { tenantId: tenantA, token: started.token })).toEqual({ sessionId: started.sessionId, channel: 'web' });
    expect(await findConversation(db.pool, { tenantId: tenantA, sessionId: started.sessionId })).toEqual({ sessionId: started.sessionId, channel: 'web' });
  });

  it('finds nothing for another tenant\'s token or id, exactly as for an unknown one', async () => {
    const ofB = await startConversation(db.pool, { tenantId: tenantB, channel: 'web', now });
    expect(await findConversation(db.pool, { tenantId: tenantA, token: ofB.token })).toBeNull();
    expect(await findConversation(db.pool, { tenantId: tenantA, sessionId: ofB.sessionId })).toBeNull();
    expect(await findConversation(db.pool, { tenantId: tenantA, token: `gms_${'A'.repeat(43)}` })).toBeNull();
    expect(await findConversation(db.pool, { tenantId: tenantA, token: 'not-a-token' })).toBeNull();
    expect(await findConversation(db.pool, { tenantId: tenantA })).toBeNull();
  });

  it('refuses a tenant that does not exist with TENANT_NOT_FOUND', async () => {
    await expect(startConversation(db.pool, { tenantId: '00000000-0000-4000-8000-000000000000', channel: 'web', now })).rejects.toMatchObject({ code: 'TENANT_NOT_FOUND' });
  });

  it('starts and finds a conversation in one statement each, which enters the tenant itself', async () => {
    const { names } = await recordStatements(db.pool, async () => {
      const started = await startConversation(db.pool, { tenantId: tenantA, channel: 'web', now });
      expect(await findConversation(db.pool, { tenantId: tenantA, token: started.token })).toEqual({ sessionId: started.sessionId, channel: 'web' });
    });
    expect(names).toEqual(['gomomo_agent_start_conversation', 'gomomo_agent_find_conversation']);
    // The settings were the statement's own: the connection keeps neither the role nor the tenant.
    const client = await db.pool.connect();
    try {
      const { rows } = await client.query<{ role: string; tenant: string | null }>("SELECT current_user AS role, nullif(current_setting('app.tenant_id', true), '') AS tenant");
      expect(rows[0]!.tenant).toBeNull();
      expect(rows[0]!.role).not.toBe('gomomo_app');
    } finally {
      client.release();
    }
  });

  it('refuses a tenant id that is no UUID with VALIDATION, before it reaches SQL', async () => {
    await expect(startConversation(db.pool, { tenantId: 'tenant-a', channel: 'web', now })).rejects.toMatchObject({ code: 'VALIDATION', field: 'tenantId' });
    await expect(findConversation(db.pool, { tenantId: 'tenant-a', token: `gms_${'A'.repeat(43)}` })).rejects.toMatchObject({ code: 'VALIDATION', field: 'tenantId' });
  });
});
