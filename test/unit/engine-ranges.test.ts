// Acknowledged ranges and the slice plan: the arithmetic every resume depends on.
import { describe, expect, it } from 'vitest';
import { addRange, clipRanges, containsRange, normalizeRanges, plannedSlices, totalBytes } from '../../src/engine/ranges.js';

describe('acknowledged ranges', () => {
  it('merges overlapping and adjacent ranges, in any order', () => {
    let r = addRange([], [20, 30]);
    r = addRange(r, [0, 10]);
    r = addRange(r, [10, 20]);
    expect(r).toEqual([[0, 30]]);
    expect(addRange([[0, 5]], [7, 9])).toEqual([[0, 5], [7, 9]]);
    expect(addRange([[0, 5], [7, 9]], [4, 8])).toEqual([[0, 9]]);
  });

  it('ignores empty and invalid ranges from a store', () => {
    expect(normalizeRanges([[5, 5], [3, 1], [-1, 4], [Number.NaN, 2], [1, 2]])).toEqual([[1, 2]]);
  });

  it('tells whether a range is fully acknowledged', () => {
    const r = normalizeRanges([[0, 10], [20, 30]]);
    expect(containsRange(r, [0, 10])).toBe(true);
    expect(containsRange(r, [22, 30])).toBe(true);
    expect(containsRange(r, [5, 21])).toBe(false);
    expect(containsRange(r, [10, 20])).toBe(false);
  });

  it('counts bytes and clips at an offset', () => {
    expect(totalBytes([[0, 10], [20, 25]])).toBe(15);
    expect(clipRanges([[0, 10], [20, 30]], 22)).toEqual([[0, 10], [20, 22]]);
    expect(clipRanges([[0, 10], [20, 30]], 10)).toEqual([[0, 10]]);
  });
});

describe('slice plan', () => {
  it('cuts exactly sliceSize bytes from the offset, the last one shorter', () => {
    expect([...plannedSlices(2500, 0, 1000, [])]).toEqual([[0, 1000], [1000, 2000], [2000, 2500]]);
  });

  it('obeys an odd slice size (786432) and a server offset', () => {
    const size = 3 * 786432 + 5;
    expect([...plannedSlices(size, 786432, 786432, [[0, 786432]])]).toEqual([
      [786432, 1572864], [1572864, 2359296], [2359296, size],
    ]);
  });

  it('skips slices acknowledged beyond the server offset', () => {
    // Slices 0 and 2 were acked in parallel; the server's first missing byte is 1000.
    expect([...plannedSlices(4000, 1000, 1000, [[0, 1000], [2000, 3000]])]).toEqual([[1000, 2000], [3000, 4000]]);
  });

  it('plans nothing for an empty file and refuses a zero slice size', () => {
    expect([...plannedSlices(0, 0, 1000, [])]).toEqual([]);
    expect(() => plannedSlices(10, 0, 0, [])).toThrow(RangeError);
  });

  it('makes each slice when it is taken: a plan of 2^53 one-byte slices holds no list of them', () => {
    // A list of every slice (the plan before) would need some 100 PiB here; the plan holds a cursor.
    const plan = plannedSlices(Number.MAX_SAFE_INTEGER, 10, 1, [[0, 10], [11, 13]]);
    expect(plan.peek()).toEqual([10, 11]);
    expect([plan.take(), plan.take(), plan.peek()]).toEqual([[10, 11], [13, 14], [14, 15]]);
  });

  it('plans against the acked ranges it was given, not later changes to them', () => {
    const acked: Array<[number, number]> = [[0, 1000]];
    const plan = plannedSlices(3000, 0, 1000, acked);
    acked[0]![1] = 3000;
    expect([...plan]).toEqual([[1000, 2000], [2000, 3000]]);
  });
});
