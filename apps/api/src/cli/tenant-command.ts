import { readFile } from 'node:fs/promises';
import { isBookingError, systemClock } from '@gomomo/core';
import { onboardTenant } from '@gomomo/server';
import { exitCode, openDatabase, parseFlags, print, UsageError, type Command } from './run.js';

export const tenantCommand: Command = {
  help: `gomomo tenant create [--file tenant.json] [--name N --slug S --time-zone Z
                     --service NAME:MINUTES… --hours DAYS@HH:MM-HH:MM… --origin URL…] [--json]

Creates a tenant with its services, staff, opening hours and allowed web origins, and its first
secret and publishable keys, in one transaction (the same onboarding as the admin API). The keys
are printed ONCE: store them now.
  --file F          the tenant as JSON (the admin API's createTenant input); flags override its fields
  --name, --slug, --time-zone   e.g. --name "Clinic" --slug clinic --time-zone America/New_York
  --service NAME:MINUTES        repeatable, e.g. --service "Consultation:30"
  --hours DAYS@OPEN-CLOSE       repeatable; weekdays 0 (Sunday)-6, e.g. --hours 1-5@09:00-17:00
  --origin URL                  repeatable: where the publishable key may be used from
  --json            one JSON line with the tenant and both keys
Exit codes: 0 created, 1 failed (e.g. the slug is taken), 2 usage or invalid tenant data.`,
  async run(context) {
    const { values, positionals } = parseFlags(context.argv, {
      file: { type: 'string' },
      name: { type: 'string' },
      slug: { type: 'string' },
      'time-zone': { type: 'string' },
      service: { type: 'string', multiple: true },
      hours: { type: 'string', multiple: true },
      origin: { type: 'string', multiple: true },
    });
    if (positionals[0] !== 'create' || positionals.length > 1) throw new UsageError('expected: gomomo tenant create …');
    const data: Record<string, unknown> = values.file ? await readJsonFile(values.file) : {};
    if (values.name !== undefined) data.name = values.name;
    if (values.slug !== undefined) data.slug = values.slug;
    if (values['time-zone'] !== undefined) data.timeZone = values['time-zone'];
    if (values.service) data.services = values.service.map(parseService);
    if (values.hours) data.hours = values.hours.flatMap(parseHours);
    if (values.origin) data.allowedOrigins = values.origin;
    const db = await openDatabase(values, context.env);
    try {
      const onboarded = await onboardTenant(db.pool, { data, clock: systemClock });
      const { tenant, keys } = onboarded;
      print(context, {
        json: values.json,
        value: { tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, timeZone: tenant.timeZone }, allowedOrigins: onboarded.allowedOrigins, keys: { secret: keys.secret.key, publishable: keys.publishable.key } },
        text: `created tenant ${tenant.slug} (${tenant.id})\nsecret key:      ${keys.secret.key}\npublishable key: ${keys.publishable.key}\nThese keys are shown once: store them now.`,
      });
      return exitCode.ok;
    } catch (error) {
      if (isBookingError(error) && error.code === 'VALIDATION') throw new UsageError(`invalid tenant: ${error.message}`);
      throw error;
    } finally {
      await db.close();
    }
  },
};

async function readJsonFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`--file: cannot read ${file}`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw new UsageError(`--file: ${file} is not a JSON object`);
  }
}

function parseService(value: string): { name: string; durationMinutes: number } {
  const match = /^(.+):(\d{1,4})$/.exec(value);
  if (!match) throw new UsageError(`--service: "${value}" must be NAME:MINUTES, e.g. "Consultation:30"`);
  return { name: match[1]!.trim(), durationMinutes: Number(match[2]) };
}

function parseHours(value: string): { weekday: number; opens: string; closes: string }[] {
  const match = /^([0-6])(?:-([0-6]))?@(\d\d:\d\d)-(\d\d:\d\d)$/.exec(value);
  if (!match) throw new UsageError(`--hours: "${value}" must be DAYS@HH:MM-HH:MM, e.g. 1-5@09:00-17:00`);
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  if (last < first) throw new UsageError(`--hours: "${value}": the days run from ${first} to ${last}, backwards`);
  return Array.from({ length: last - first + 1 }, (_, i) => ({ weekday: first + i, opens: match[3]!, closes: match[4]! }));
}
