/** A string the database (or a terminal reading its log) would refuse or misread, with where it is. */
export interface TextProblem {
  field: string;
  message: string;
}

/**
 * Fields whose text may span lines (a chat message, a note): tab and line breaks are kept there.
 * Everywhere else (names, labels, keys, ids) every C0 control character is refused.
 */
const multilineFields = new Set(['text', 'notes', 'reason', 'description']);

// C0 controls and DEL. Postgres refuses NUL in text and jsonb (SQLSTATE 22021 / 22P05), and the
// others have no business in a name or a label.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const anyControl = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- as above
const controlButLineBreaks = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// A lone UTF-16 surrogate is not Unicode text: jsonb refuses its escape (SQLSTATE 22P02).
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Deeper input than any procedure takes is refused before anything walks it again. */
const maxDepth = 32;

function checkString(value: string, field: string, isMultiline: boolean): TextProblem | null {
  if ((isMultiline ? controlButLineBreaks : anyControl).test(value)) {
    return { field, message: isMultiline ? 'must not contain control characters (other than tab and line breaks)' : 'must not contain control characters' };
  }
  if (loneSurrogate.test(value)) return { field, message: 'must be valid Unicode text (it has a lone surrogate)' };
  return null;
}

function walk(value: unknown, path: string[], depth: number): TextProblem | null {
  const field = path.join('.') || '(input)';
  if (typeof value === 'string') return checkString(value, field, multilineFields.has(path.at(-1) ?? ''));
  if (value === null || typeof value !== 'object') return null;
  if (depth > maxDepth) return { field, message: `is nested more than ${maxDepth} levels deep` };
  const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const) : Object.entries(value);
  for (const [key, item] of entries) {
    const keyProblem = checkString(key, [...path, key].join('.'), false);
    if (keyProblem) return { field: [...path, key].join('.'), message: `key ${keyProblem.message}` };
    const problem = walk(item, [...path, key], depth + 1);
    if (problem) return problem;
  }
  return null;
}

/**
 * Finds the first text in a request's input that must not reach the database: NUL and other C0
 * control characters (tab and line breaks are allowed in message text and notes), lone surrogates,
 * control characters in object keys (tenant settings), and nesting deeper than any input needs.
 */
export function findTextProblem(input: unknown): TextProblem | null {
  return walk(input, [], 0);
}
