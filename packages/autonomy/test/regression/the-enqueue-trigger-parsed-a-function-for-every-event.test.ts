// Issue 15: the trigger that turns a domain event into a job was written
// `WHEN (gomomo_event_needs_job(NEW.type))` (migration 0180). Postgres prepares a trigger's WHEN
// clause afresh for every statement that inserts a row, and preparing a call of a `LANGUAGE sql`
// function means parsing and analysing its body again, so every event paid for a parse: about 22 µs
// of Postgres CPU on one connection, a sixteenth of a confirm. Migration 0182 lists the types as a
// constant array. This pins that no trigger's WHEN clause in the schema calls a SQL function; the
// trigger's list itself is checked type by type in queue.test.ts.
import { createTestDatabase, type TestDatabase } from '@gomomo/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { installQueue } from '../../src/queue/install.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await installQueue(db.pool);
});
afterAll(async () => db?.drop());

it('no trigger prepares a SQL function in its WHEN clause, per inserting statement', async () => {
  // tgqual is the WHEN clause's parsed tree: every function it calls appears as ":funcid <oid>".
  const { rows } = await db.pool.query<{ trigger: string; sqlFunctions: string[] }>(
    `SELECT t.tgrelid::regclass || '.' || t.tgname AS trigger,
            array(SELECT p.oid::regprocedure::text
                    FROM regexp_matches(t.tgqual::text, ':funcid (\\d+)', 'g') AS m (id)
                    JOIN pg_proc p ON p.oid = m.id[1]::oid
                    JOIN pg_language l ON l.oid = p.prolang
                   WHERE l.lanname = 'sql') AS "sqlFunctions"
       FROM pg_trigger t
      WHERE t.tgqual IS NOT NULL AND NOT t.tgisinternal`,
  );
  // The enqueue trigger has a WHEN clause, so the check below looks at something.
  expect(rows.map((row) => row.trigger)).toContain('domain_events.domain_events_enqueue_job');
  expect(rows.filter((row) => row.sqlFunctions.length > 0)).toEqual([]);
});
