// A question about the services is answered from the services the turn opened with (the catalog
// cache's, or read in the turn's opening transaction), not from a read of the tool's own: that read
// was three of a services turn's seventeen round trips (issue 15). A hold still checks its service
// itself, so a list a moment old can offer nothing that is not there.
import { createBookingEngine, createPool, createService, type Pool } from '@gomomo/core';
import { createPolicyEngine } from '@gomomo/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReceptionist, type Receptionist } from '../src/index.js';
import { createWorld, type World } from './support.js';

let world: World;
let pool: Pool;
/** The names of the statements this file's receptionists sent, in order. */
const sent: string[] = [];

/** A receptionist on a pool of its own whose statements are recorded (`sent`). */
function receptionistWith(catalogCacheMs: number): Receptionist {
  const engine = createBookingEngine({ pool, clock: world.clock });
  return createReceptionist({ pool, engine, policy: createPolicyEngine({ pool, clock: world.clock }), clock: world.clock, config: { catalogCacheMs } });
}

/** How often a turn sent core's services read (`gomomo_read_services`). */
async function servicesReadsOf(turn: () => Promise<unknown>): Promise<number> {
  const before = sent.length;
  await turn();
  return sent.slice(before).filter((name) => name === 'gomomo_read_services').length;
}

beforeAll(async () => {
  world = await createWorld();
  pool = createPool(world.db.url, { max: 4 });
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      const statement = args[0] as { name?: string } | string;
      sent.push(typeof statement === 'string' ? statement : (statement.name ?? ''));
      return query(...args);
    }) as typeof client.query;
  });
});
afterAll(async () => {
  await pool.end();
  await world.db.drop();
});

describe('the services a turn tells the customer about', () => {
  it('lists the services without reading them again once the catalog is known', async () => {
    const receptionist = receptionistWith(60_000);
    const say = (text: string) => receptionist.handleTurn({ tenantId: world.tenant.id, sessionId: 'services-known', channel: 'web', text });
    expect(await servicesReadsOf(() => say('Hello'))).toBe(1);
    let reply = '';
    expect(await servicesReadsOf(async () => (reply = (await say('What services do you offer?')).reply))).toBe(0);
    expect(reply).toMatch(/Consultation/);
    expect(reply).toMatch(/Follow-up/);
    expect(reply).toMatch(/Extended session/);
  });

  it('answers the cancellation policy from the same services', async () => {
    const receptionist = receptionistWith(60_000);
    const say = (text: string) => receptionist.handleTurn({ tenantId: world.tenant.id, sessionId: 'policy-known', channel: 'web', text });
    await say('Hello');
    let reply = '';
    const before = sent.length;
    expect(await servicesReadsOf(async () => (reply = (await say("What's your cancellation policy?")).reply))).toBe(0);
    expect(reply).toMatch(/Consultation: /);
    // The business's own answers are read in one statement that enters the tenant itself (migration 0174).
    const turn = sent.slice(before);
    expect(turn.filter((name) => name === 'gomomo_agent_faq_entries')).toHaveLength(1);
  });

  it('lists a service staff added before the turn when the catalog is read at every turn', async () => {
    const receptionist = receptionistWith(0);
    const say = (text: string) => receptionist.handleTurn({ tenantId: world.tenant.id, sessionId: 'services-fresh', channel: 'web', text });
    expect((await say('What services do you offer?')).reply).not.toMatch(/Massage/);
    await createService(world.pool, { tenantId: world.tenant.id, service: { name: 'Massage', durationMinutes: 60 } });
    // The turn's opening transaction reads the services once; the answer uses that read.
    let reply = '';
    expect(await servicesReadsOf(async () => (reply = (await say('What services do you offer?')).reply))).toBe(1);
    expect(reply).toMatch(/Massage/);
  });
});
