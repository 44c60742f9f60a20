import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalSplit, chainHash } from './canonical.js';

describe('canonicalJson', () => {
  it('is the same whatever order keys were written in, at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 }));
    expect(canonicalJson({ b: 1, a: undefined })).toBe('{"b":1}');
  });
});

describe('canonicalSplit', () => {
  it.each([
    [{ action: 'a', seq: 7, tool: null, details: { seq: 1 } }],
    [{ seq: 12, zeta: 'z' }],
    [{ alpha: 'a', seq: 3 }],
  ])('splits %j so that prefix + seq + suffix is its canonical JSON', (content) => {
    const { prefix, suffix } = canonicalSplit(content, 'seq');
    expect(prefix + String(content.seq) + suffix).toBe(canonicalJson(content));
  });

  it('chains: the hash depends on the previous hash', () => {
    expect(chainHash('a', { x: 1 })).not.toBe(chainHash('b', { x: 1 }));
  });
});
