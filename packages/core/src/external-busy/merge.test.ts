import { describe, expect, it } from 'vitest';
import { overlapsAny } from '../availability/compute-slots.js';
import { mergeBusy } from './merge.js';

const i = (start: number, end: number) => ({ start, end });

describe('mergeBusy', () => {
  it.each([
    ['no external blocks', [i(0, 10)], [], [i(0, 10)]],
    ['disjoint', [i(0, 10), i(40, 50)], [i(20, 30)], [i(0, 10), i(20, 30), i(40, 50)]],
    ['an external block inside a claim', [i(0, 100)], [i(10, 20)], [i(0, 100)]],
    ['external blocks overlapping each other and a claim', [i(50, 60)], [i(0, 30), i(20, 55), i(58, 70)], [i(0, 70)]],
    ['touching ends', [i(0, 10)], [i(10, 20)], [i(0, 20)]],
  ])('%s', (_name, claims, external, expected) => {
    expect(mergeBusy(claims, external)).toEqual(expected);
  });

  it('gives the disjoint, sorted list overlapsAny needs: a long block before short ones still blocks', () => {
    // Unmerged, [0, 100) followed by [10, 20) has unsorted ends and the binary search skips it.
    const merged = mergeBusy([i(10, 20)], [i(0, 100)]);
    expect(overlapsAny(merged, 60, 70)).toBe(true);
  });
});
