import { createBookingEngine, createTenant, demoTenantInput, type Pool, type Tenant, type TenantInput } from '@gomomo/core';
import { createTestDatabase, ManualClock, type TestDatabase } from '@gomomo/core/testing';
import { createPolicyEngine, type PolicyEngine } from '@gomomo/policy';
import { createReceptionist, type Brain, type Receptionist, type ReceptionistConfig, type TurnInput, type TurnResult } from '../src/index.js';

/** Thursday, March 5, 2026, 09:00 in New York: the clock every conversation starts at. */
export const startOfTest = '2026-03-05T14:00:00Z';

export interface World {
  db: TestDatabase;
  pool: Pool;
  clock: ManualClock;
  tenant: Tenant;
  policy: PolicyEngine;
  receptionist: Receptionist;
  services: Record<'consultation' | 'followUp' | 'extended', string>;
}

let slugs = 0;

/** A fresh database with a clinic (the demo tenant, 60 days of lookahead) and a receptionist. */
export async function createWorld(options: { brain?: Brain; config?: ReceptionistConfig; tenant?: Partial<TenantInput> } = {}): Promise<World> {
  const db = await createTestDatabase();
  const clock = new ManualClock(startOfTest);
  slugs += 1;
  const tenant = await createTenant(db.pool, { ...demoTenantInput, slug: `clinic-${slugs}-${Math.random().toString(36).slice(2, 8)}`, lookaheadDays: 60, ...options.tenant });
  const engine = createBookingEngine({ pool: db.pool, clock });
  const policy = createPolicyEngine({ pool: db.pool, clock });
  const receptionist = createReceptionist({ pool: db.pool, engine, policy, clock, brain: options.brain, config: options.config });
  const list = await engine.listServices(tenant.id);
  const id = (name: string) => list.find((s) => s.name === name)!.id;
  return { db, pool: db.pool, clock, tenant, policy, receptionist, services: { consultation: id('Consultation'), followUp: id('Follow-up'), extended: id('Extended session') } };
}

/** A conversation in one session: `say` sends a customer message and returns the turn. */
export function conversation(world: World, sessionId: string, extra: Partial<TurnInput> = {}) {
  return {
    sessionId,
    say: (text: string): Promise<TurnResult> => world.receptionist.handleTurn({ tenantId: world.tenant.id, sessionId, channel: 'web', text, ...extra }),
  };
}

export interface AppointmentRow {
  reference: string;
  status: string;
  starts_at: Date;
  client_name: string;
  client_email: string | null;
  client_phone: string | null;
  session_id: string | null;
}

export async function appointments(world: World): Promise<AppointmentRow[]> {
  const { rows } = await world.pool.query<AppointmentRow>('SELECT reference, status, starts_at, client_name, client_email, client_phone, session_id FROM appointments WHERE tenant_id = $1 ORDER BY created_at', [world.tenant.id]);
  return rows;
}

export async function activeHolds(world: World, sessionId?: string): Promise<Array<{ id: string; starts_at: Date; session_id: string }>> {
  const { rows } = await world.pool.query(`SELECT id, starts_at, session_id FROM holds WHERE tenant_id = $1 AND status = 'active' AND ($2::text IS NULL OR session_id = $2) ORDER BY created_at`, [world.tenant.id, sessionId ?? null]);
  return rows;
}

export async function waitlist(world: World): Promise<Array<{ id: string; client_name: string; window_start: Date; window_end: Date; status: string }>> {
  const { rows } = await world.pool.query('SELECT id, client_name, window_start, window_end, status FROM waitlist_entries WHERE tenant_id = $1', [world.tenant.id]);
  return rows;
}

/** ISO instant of a New York wall-clock time in March 2026 (EST until March 8, EDT after). */
export function ny(local: string): string {
  const date = new Date(`${local}:00-05:00`);
  const isDst = date.getTime() >= Date.parse('2026-03-08T07:00:00Z');
  return new Date(`${local}:00${isDst ? '-04:00' : '-05:00'}`).toISOString();
}
