// Issue 15: with the worker in the API process, eight confirmation jobs at once on two cores took the
// CPU the customers' bookings needed, without finishing the work any sooner. Jobs that only work in
// the database now run at most `databaseConcurrency` at once; calendar jobs, which wait on the
// network, are not held back by them. Domain events that wait for the slot are then handled
// together, in one transaction (a burst's events share BEGIN, closing statement and COMMIT).
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseCalendarProvider } from '../../src/calendar/provider.js';
import { createTasks } from '../../src/handlers/tasks.js';
import { installQueue } from '../../src/queue/install.js';
import { book, makeHarness, makeTenant } from '../helpers.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ max: 12 });
  await installQueue(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

describe('regression: background jobs take the CPU of bookings', () => {
  it('runs database-only jobs at most databaseConcurrency at once, while a calendar job waits on the network beside them', async () => {
    let releaseCalendar!: () => void;
    const calendarWaiting = new Promise<void>((resolve) => (releaseCalendar = resolve));
    let calendarRunning = false;
    const harness = makeHarness(db.pool, {
      config: { databaseConcurrency: 1 },
      calendar: {
        ...databaseCalendarProvider,
        async refreshBusy() {
          calendarRunning = true;
          await calendarWaiting;
          return [];
        },
      },
    });
    // The events of one transaction start together, in one synchronous loop, and are reported
    // handled together after its COMMIT: each such group is one transaction.
    let running = 0;
    let most = 0;
    const transactions: number[][] = [];
    let starting: number[] | undefined;
    let finishing = false;
    const handled: number[] = [];
    const tasks = createTasks(harness.ctx, {
      onEventStart: (eventId) => {
        if (!starting) {
          starting = [];
          transactions.push(starting);
          running++;
          most = Math.max(most, running);
          queueMicrotask(() => (starting = undefined));
        }
        starting.push(eventId);
      },
      onEventHandled: (info) => {
        if (!finishing) {
          finishing = true;
          running--;
          queueMicrotask(() => (finishing = false));
        }
        handled.push(info.eventId);
      },
    });
    const tenant = await makeTenant(db.pool);
    for (let i = 0; i < 4; i++) await book(harness.engine, tenant, { name: `Guest ${i}`, email: `guest${i}@example.com` });
    const { rows } = await db.pool.query<{ id: number }>("SELECT id FROM domain_events WHERE tenant_id = $1 AND type = 'booking.created' ORDER BY id", [tenant.id]);
    expect(rows).toHaveLength(4);

    const calendarJob = tasks.calendar_busy_refresh!({}, {} as never);
    await Promise.all(rows.map((row) => tasks.domain_event!({ id: row.id, tenantId: tenant.id }, {} as never)));
    // All four confirmations ran, one transaction at a time, while the calendar job still waits on
    // its network: the first job's event on its own, then the three that waited for the slot together.
    expect(handled.sort()).toEqual(rows.map((row) => row.id).sort());
    expect(most).toBe(1);
    expect(transactions).toEqual([[rows[0]!.id], rows.slice(1).map((row) => row.id)]);
    expect(calendarRunning).toBe(true);
    releaseCalendar();
    await calendarJob;
  });
});
