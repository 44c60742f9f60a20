import { DateTime } from 'luxon';
import type { PolicyContext } from '../types.js';
import type { ArgPredicate, PolicyRule, RuleConditions } from './schema.js';

/** Which condition of a rule did not hold; turned into words only on the deny path. */
export type Mismatch = 'channel' | 'actor' | 'tool' | 'time' | 'args';

/** The wall-clock time in the tenant's zone, computed at most once per decision and only if a rule asks. */
export interface LocalTime {
  minuteOfDay: number;
  weekday: number;
}

export interface CompiledRule {
  id: string;
  version: number;
  effect: 'allow' | 'deny';
  conditions: RuleConditions;
  /** The first condition that does not hold, or null when the rule applies. */
  mismatch(context: PolicyContext, localTime: () => LocalTime): Mismatch | null;
}

interface CompiledPredicate {
  path: string[];
  test(value: unknown): boolean;
}

function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function readPath(args: Record<string, unknown> | undefined, path: string[]): unknown {
  let current: unknown = args;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function isComparable(a: unknown, b: number | string): a is number | string {
  return typeof a === typeof b;
}

function compilePredicate(predicate: ArgPredicate): CompiledPredicate {
  const path = predicate.path.split('.');
  switch (predicate.op) {
    case 'eq':
      return { path, test: (value) => value === predicate.value };
    case 'neq':
      return { path, test: (value) => value !== undefined && value !== predicate.value };
    case 'in': {
      const set = new Set<unknown>(predicate.value);
      return { path, test: (value) => set.has(value) };
    }
    case 'notIn': {
      const set = new Set<unknown>(predicate.value);
      return { path, test: (value) => value !== undefined && !set.has(value) };
    }
    case 'lt':
      return { path, test: (value) => isComparable(value, predicate.value) && value < predicate.value };
    case 'lte':
      return { path, test: (value) => isComparable(value, predicate.value) && value <= predicate.value };
    case 'gt':
      return { path, test: (value) => isComparable(value, predicate.value) && value > predicate.value };
    case 'gte':
      return { path, test: (value) => isComparable(value, predicate.value) && value >= predicate.value };
    case 'exists':
      return { path, test: (value) => value !== undefined && value !== null };
    case 'absent':
      return { path, test: (value) => value === undefined || value === null };
  }
}

function compileWindow(window: NonNullable<RuleConditions['timeOfDay']>): (time: LocalTime) => boolean {
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  const weekdays = window.weekdays ? new Set(window.weekdays) : null;
  // A window that wraps midnight (22:00–06:00) belongs to the day it starts on for `weekdays`.
  return (time) => {
    if (from < to) return (weekdays === null || weekdays.has(time.weekday)) && time.minuteOfDay >= from && time.minuteOfDay < to;
    if (time.minuteOfDay >= from) return weekdays === null || weekdays.has(time.weekday);
    const previousDay = time.weekday === 1 ? 7 : time.weekday - 1;
    return time.minuteOfDay < to && (weekdays === null || weekdays.has(previousDay));
  };
}

/** Turns a rule into closures, so a decision is a few Set lookups with no parsing. */
export function compileRule(rule: PolicyRule, version: number): CompiledRule {
  const when = rule.when ?? {};
  const channels = when.channels ? new Set<string>(when.channels) : null;
  const actors = when.actors ? new Set<string>(when.actors) : null;
  const tools = when.tools ? new Set<string>(when.tools) : null;
  const window = when.timeOfDay ? compileWindow(when.timeOfDay) : null;
  const predicates = when.args ? when.args.map(compilePredicate) : null;
  return {
    id: rule.id,
    version,
    effect: rule.effect,
    conditions: when,
    mismatch(context, localTime) {
      if (channels !== null && !channels.has(context.channel)) return 'channel';
      if (actors !== null && !actors.has(context.actor)) return 'actor';
      if (tools !== null && (context.tool === undefined || !tools.has(context.tool))) return 'tool';
      if (predicates !== null) {
        for (const predicate of predicates) if (!predicate.test(readPath(context.args, predicate.path))) return 'args';
      }
      if (window !== null && !window(localTime())) return 'time';
      return null;
    },
  };
}

/** True when a rule's action selector covers `action` (`*`, `notify.*` or the exact name). */
export function selectorCovers(selector: string, action: string): boolean {
  if (selector === '*') return true;
  if (selector.endsWith('.*')) return action.startsWith(selector.slice(0, -1));
  return selector === action;
}

/** Reads the time of day in `zone` through luxon, so DST and offsets are the tz database's, not ours. */
export function readLocalTime(now: Date, zone: string): LocalTime {
  const local = DateTime.fromJSDate(now, { zone });
  return { minuteOfDay: local.hour * 60 + local.minute, weekday: local.weekday };
}
