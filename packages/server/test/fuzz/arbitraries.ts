import fc from 'fast-check';

// Input generators for the fuzz test: values shaped by a procedure's zod schema (read from zod 4's
// `_zod.def`), with any leaf replaced, now and then, by a hostile value.

type Def = { type: string; [key: string]: unknown };
type ZodLike = { _zod: { def: Def; bag?: Record<string, unknown> } };

/** A string whose UTF-16 has a lone surrogate, which is not Unicode text. */
const loneSurrogate = 'a\ud800b';

/** Values meant to break things: control characters, broken Unicode, huge, deep, non-finite, out of range. */
export const hostileValues: unknown[] = [
  'yes\u0000',
  '\u0000',
  'a\u0007b\u001bc',
  'line\r\nbreak',
  loneSurrogate,
  '\udfff',
  'x'.repeat(1_000_000),
  'é'.repeat(3000),
  '+275760-09-13',
  '275760-09-13T00:00:00Z',
  '-271821-04-20T00:00:00Z',
  '0000-00-00',
  '9999-12-31T23:59:59.999Z',
  '2026-02-30',
  '2026-12-02T25:61:00Z',
  '',
  ' ',
  '__proto__',
  '../../etc/passwd',
  "'; DROP TABLE tenants; --",
  '%00',
  '\u202e\u2066',
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1e308,
  -1e308,
  2 ** 53 + 1,
  -0,
  0.5,
  -1,
  true,
  null,
  [],
  {},
  { __proto__: { polluted: true } },
  JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}'),
  deep(200),
  deep(1000),
  Array.from({ length: 10_000 }, (_, i) => i),
];

function deep(levels: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

/** Plausible strings, so generated inputs also get past validation into the procedures. */
export interface Samples {
  uuids: string[];
  strings: string[];
}

const defaultStrings = ['2026-12-02', '2026-12-03', '2026-12-02T15:00:00Z', '2026-12-02T10:00:00-05:00', 'GM-ABCDE', 'fuzz-session-0001', 'ann@example.com', '+15551234567', 'Ann Lee', 'booked', 'secret', 'publishable', 'https://a.example'];

function stringFor(def: Def, samples: Samples): fc.Arbitrary<string> {
  const format = (def as { format?: string }).format;
  if (format === 'uuid' || format === 'guid') return fc.oneof(fc.constantFrom(...samples.uuids), fc.uuid());
  return fc.oneof(fc.constantFrom(...defaultStrings, ...samples.strings), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));
}

/** An arbitrary for a zod schema's shape, with a 1-in-8 chance at every node of a hostile value instead. */
export function arbitraryFor(schema: unknown, samples: Samples, depth = 0): fc.Arbitrary<unknown> {
  const hostile = fc.constantFrom(...hostileValues);
  const shaped = shapedFor(schema as ZodLike | undefined, samples, depth);
  return fc.oneof({ weight: 7, arbitrary: shaped }, { weight: 1, arbitrary: hostile });
}

function shapedFor(schema: ZodLike | undefined, samples: Samples, depth: number): fc.Arbitrary<unknown> {
  const def = schema?._zod?.def;
  if (!def || depth > 6) return fc.anything({ maxDepth: 2 });
  const inner = (key: string) => arbitraryFor(def[key], samples, depth + 1);
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, unknown>;
      const keys = Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, arbitraryFor(value, samples, depth + 1)]));
      // Some keys left out, and now and then one the schema does not know.
      return fc.tuple(fc.record(keys, { requiredKeys: [] }), fc.option(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }))).map(([known, extra]) => ({ ...extra, ...known }));
    }
    case 'string':
      return stringFor(def, samples);
    case 'number':
    case 'int':
      return fc.oneof(fc.integer({ min: -5, max: 600 }), fc.double(), fc.constantFrom(0, 1, 10, 200, 501));
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.oneof(fc.constantFrom(...Object.values(def.entries as Record<string, unknown>)), fc.string({ maxLength: 10 }));
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'optional':
    case 'nullable':
    case 'default':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return fc.oneof(inner('innerType'), fc.constant(undefined), fc.constant(null));
    case 'union':
      return fc.oneof(...(def.options as unknown[]).map((option) => arbitraryFor(option, samples, depth + 1)));
    case 'array':
      return fc.array(inner('element'), { maxLength: 4 });
    case 'record':
      return fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
    case 'pipe':
      return inner('in');
    default:
      return fc.anything({ maxDepth: 2 });
  }
}
