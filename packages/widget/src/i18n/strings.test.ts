import { describe, expect, it } from 'vitest';
import { createTranslator, resolveLanguage, stringTables, type StringKey } from './strings.js';

const english = stringTables.en!;
const keys = Object.keys(english) as StringKey[];
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('stringTables', () => {
  it.each(Object.keys(stringTables))('gives "%s" a non-empty string for every key', (language) => {
    const table = stringTables[language]!;
    expect(Object.keys(table).sort()).toEqual([...keys].sort());
    for (const key of keys) expect(table[key].trim(), key).not.toBe('');
  });

  it.each(Object.keys(stringTables))('keeps the same {placeholders} in "%s" as in English', (language) => {
    for (const key of keys) expect(placeholders(stringTables[language]![key]), key).toEqual(placeholders(english[key]));
  });

  it('says plainly in every language that the assistant is automated', () => {
    expect(stringTables.en!.automated).toMatch(/automated/i);
    expect(stringTables.es!.automated).toMatch(/automático/i);
  });
});

describe('resolveLanguage', () => {
  it.each([
    ['es', 'es'],
    ['es-MX', 'es'],
    ['EN-gb', 'en'],
    ['fr', 'en'],
    ['', 'en'],
    [undefined, 'en'],
  ])('maps %j to %s', (requested, expected) => {
    expect(resolveLanguage(requested)).toBe(expected);
  });
});

describe('createTranslator', () => {
  it('fills placeholders from vars', () => {
    expect(createTranslator('en')('push.holdExpiring', { minutes: 2 })).toBe('Your held time expires in about 2 min. Confirm to keep it.');
  });

  it('leaves a placeholder visible when its var is missing, rather than printing "undefined"', () => {
    expect(createTranslator('es')('push.holdExpiring')).toContain('{minutes}');
  });
});
