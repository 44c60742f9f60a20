import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Pool } from '../db/pool.js';

// CPU time for benchmarks, read from Linux's /proc. On a shared machine a rate (requests per
// second) moves with whatever else the cores are doing; the CPU time an operation costs moves far
// less, because time spent waiting for a core is not counted.

/** The kernel's clock ticks per second (USER_HZ), which /proc/<pid>/stat counts in: 100 on Linux. */
const ticksPerSecond = 100;

/** Fields of /proc/<pid>/stat after the command name, so index 1 is the parent pid (field 4). */
function statFields(pid: number | string): string[] {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
}

/** A process's own user + system time, in ticks (fields 14 and 15). */
function ownTicks(fields: string[]): number {
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU time (user + system) a process has used so far, in ms, at 10 ms resolution. */
export function processCpuMs(pid: number): number {
  return (ownTicks(statFields(pid)) * 1000) / ticksPerSecond;
}

/** CPU time, in ms, of a Postgres cluster: the postmaster, its reaped children, and its live backends. */
export async function postgresCpuMs(postmasterPid: number): Promise<number> {
  const own = statFields(postmasterPid);
  // Fields 16 and 17 (cutime, cstime): backends that exited and were waited for.
  let total = ownTicks(own) + Number(own[13]) + Number(own[14]);
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = statFields(entry);
      if (Number(fields[1]) === postmasterPid) total += ownTicks(fields);
    } catch {
      // The process exited between the listing and the read: its time is in the parent's cutime now.
    }
  }
  return (total * 1000) / ticksPerSecond;
}

/** The postmaster's pid from the data directory's postmaster.pid; undefined when the server is not on this machine (or not readable). */
export async function postmasterPidOf(pool: Pool): Promise<number | undefined> {
  try {
    const { rows } = await pool.query<{ dir: string }>("SELECT current_setting('data_directory') AS dir");
    return Number(readFileSync(path.join(rows[0]!.dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}
