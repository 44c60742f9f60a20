import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSecret, createHarness, trpcData, trpcError, type Harness, type TestTenant } from '../harness.js';
import { asStaff, createOwner, ownerPassword, sessionCookieOf, signIn, type ConsoleSession } from './support.js';

let h: Harness;
let tenant: TestTenant;
let owner: ConsoleSession;

beforeAll(async () => {
  h = await createHarness();
  tenant = await h.onboard('console-auth', 'https://console-auth.example');
  await createOwner(h, tenant);
  owner = await signIn(h, { tenant: 'console-auth', email: 'owner@clinic.example', password: ownerPassword });
});
afterAll(() => h.close());

describe('console.auth.createFirstOwner', () => {
  it('stores the password only as an scrypt hash', async () => {
    const { rows } = await h.db.pool.query<{ password_hash: string }>('SELECT password_hash FROM staff_accounts WHERE tenant_id = $1', [tenant.id]);
    expect(rows[0]!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(JSON.stringify(rows)).not.toContain(ownerPassword);
  });

  it('refuses a second first owner: owners invite the next people', async () => {
    const response = await h.call('console.auth.createFirstOwner', { tenantId: tenant.id, email: 'other@clinic.example', name: 'X', password: ownerPassword }, { key: adminSecret });
    expect(response.statusCode).toBe(409);
  });

  it('refuses an API key in place of the admin secret', async () => {
    const response = await h.call('console.auth.createFirstOwner', { tenantId: tenant.id, email: 'x@clinic.example', name: 'X', password: ownerPassword }, { key: tenant.secretKey });
    expect(response.statusCode).toBe(403);
  });

  it('names the field of a short password', async () => {
    const second = await h.onboard('console-auth-short', 'https://short.example');
    const response = await h.call('console.auth.createFirstOwner', { tenantId: second.id, email: 'o@short.example', name: 'O', password: 'short' }, { key: adminSecret });
    expect(response.statusCode).toBe(400);
    expect(trpcError(response).message).toContain('password');
  });
});

describe('console.auth.signIn', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie, without Secure only on http://localhost', async () => {
    const local = await h.call('console.auth.signIn', { tenant: 'console-auth', email: 'OWNER@clinic.example', password: ownerPassword }, { headers: { 'x-gomomo-csrf': '1' } });
    expect(local.statusCode).toBe(200);
    expect(String(local.headers['set-cookie'])).toMatch(/^gomomo_staff=[\w-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/);
    const remote = await h.app.inject({
      method: 'POST',
      url: '/trpc/console.auth.signIn',
      headers: { host: 'api.clinic.example', 'content-type': 'application/json', 'x-gomomo-csrf': '1' },
      payload: JSON.stringify({ tenant: 'console-auth', email: 'owner@clinic.example', password: ownerPassword }),
    });
    expect(String(remote.headers['set-cookie'])).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
  });

  it('answers the same 401 for an unknown business, an unknown email and a wrong password', async () => {
    for (const input of [
      { tenant: 'nobody-here', email: 'owner@clinic.example', password: ownerPassword },
      { tenant: 'console-auth', email: 'nobody@clinic.example', password: ownerPassword },
      { tenant: 'console-auth', email: 'owner@clinic.example', password: 'wrong password!' },
    ]) {
      const response = await h.call('console.auth.signIn', input, { headers: { 'x-gomomo-csrf': '1', 'x-forwarded-for': '10.0.0.1' } });
      expect(response.statusCode).toBe(401);
      expect(trpcError(response).message).toBe('The business, email or password is not right');
    }
  });

  it('refuses a sign-in without the CSRF header (login CSRF)', async () => {
    const response = await h.call('console.auth.signIn', { tenant: 'console-auth', email: 'owner@clinic.example', password: ownerPassword });
    expect(response.statusCode).toBe(403);
  });
});

describe('lockout', () => {
  it('locks an account after 5 failures, even for the right password, until the window passes', async () => {
    const locked = await h.onboard('console-lockout', 'https://lockout.example');
    await createOwner(h, locked, 'owner@lockout.example');
    const attempt = (password: string) => h.call('console.auth.signIn', { tenant: 'console-lockout', email: 'owner@lockout.example', password }, { headers: { 'x-gomomo-csrf': '1' } });
    for (let i = 0; i < 5; i++) expect((await attempt(`guess number ${i}`)).statusCode).toBe(401);
    const refused = await attempt(ownerPassword);
    expect(refused.statusCode).toBe(429);
    expect(trpcError(refused).code).toBe('RATE_LIMITED');
    h.clock.advance(16 * 60_000);
    expect((await attempt(ownerPassword)).statusCode).toBe(200);
  });
});

describe('sessions and CSRF', () => {
  it('tells the signed-in staff member who they are, with the CSRF token', async () => {
    const me = trpcData<{ role: string; email: string; csrfToken: string; tenant: { slug: string } }>(await asStaff(h, owner, 'console.auth.me'));
    expect(me).toMatchObject({ role: 'owner', email: 'owner@clinic.example', csrfToken: owner.csrfToken, tenant: { slug: 'console-auth' } });
  });

  it('refuses a mutation without the CSRF token, or with another session’s', async () => {
    const other = await signIn(h, { tenant: 'console-auth', email: 'owner@clinic.example', password: ownerPassword });
    expect((await asStaff(h, owner, 'console.auth.invite', { email: 'a@clinic.example', role: 'staff' }, { csrf: null })).statusCode).toBe(403);
    expect((await asStaff(h, owner, 'console.auth.invite', { email: 'a@clinic.example', role: 'staff' }, { csrf: other.csrfToken })).statusCode).toBe(403);
  });

  it('refuses every console call without a session', async () => {
    expect((await h.call('console.auth.me', undefined)).statusCode).toBe(401);
    expect((await h.call('console.auth.me', undefined, { headers: { cookie: 'gomomo_staff=forged-token-value' } })).statusCode).toBe(401);
  });

  it('signs out everywhere: every session of the account stops working', async () => {
    const first = await signIn(h, { tenant: 'console-auth', email: 'owner@clinic.example', password: ownerPassword });
    const second = await signIn(h, { tenant: 'console-auth', email: 'owner@clinic.example', password: ownerPassword });
    const out = await asStaff(h, first, 'console.auth.signOutEverywhere');
    expect(out.statusCode).toBe(200);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await asStaff(h, second, 'console.auth.me')).statusCode).toBe(401);
    expect((await asStaff(h, owner, 'console.auth.me')).statusCode).toBe(401);
    owner = await signIn(h, { tenant: 'console-auth', email: 'owner@clinic.example', password: ownerPassword });
  });
});

describe('invitations', () => {
  it('emails a single-use link through the outbox; the invitee signs in as staff and is refused owner actions', async () => {
    trpcData(await asStaff(h, owner, 'console.auth.invite', { email: 'Sam@Clinic.example', role: 'staff' }));
    const { rows } = await h.db.pool.query<{ body: string; recipient: string }>(`SELECT body, recipient FROM notification_outbox WHERE tenant_id = $1 AND template = 'staff_invite'`, [tenant.id]);
    expect(rows[0]!.recipient).toBe('sam@clinic.example');
    const token = /#\/accept\/([\w-]+)/.exec(rows[0]!.body)![1]!;
    const accepted = await h.call('console.auth.acceptInvite', { token, name: 'Sam Staff', password: 'sam password 1' }, { headers: { 'x-gomomo-csrf': '1' } });
    expect(accepted.statusCode).toBe(200);
    expect(sessionCookieOf(accepted)).toMatch(/^gomomo_staff=/);
    const again = await h.call('console.auth.acceptInvite', { token, name: 'Sam Again', password: 'sam password 2' }, { headers: { 'x-gomomo-csrf': '1' } });
    expect(again.statusCode).toBe(404);
    expect(trpcError(again).message).toMatch(/^token: /);

    const sam = await signIn(h, { tenant: 'console-auth', email: 'sam@clinic.example', password: 'sam password 1' });
    const refused = await asStaff(h, sam, 'console.auth.invite', { email: 'b@clinic.example', role: 'owner' });
    expect(refused.statusCode).toBe(403);
    expect(trpcError(refused).message).toContain('owner');
  });

  it('audits every staff change with the acting staff id', async () => {
    const { rows } = await h.db.pool.query<{ action: string; actor: string; details: { staffId: string } }>(`SELECT action, actor, details FROM audit_log WHERE tenant_id = $1 AND action LIKE 'staff.%' ORDER BY seq`, [tenant.id]);
    expect(rows.map((r) => r.action)).toEqual(['staff.create_owner', 'staff.sign_out_everywhere', 'staff.invite', 'staff.accept_invite']);
    expect(rows.every((r) => r.actor === 'staff')).toBe(true);
    expect(rows[1]!.details.staffId).toBe(owner.staffId);
  });
});
