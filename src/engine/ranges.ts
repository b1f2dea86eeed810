// Acknowledged byte ranges: which parts of a file the server has confirmed. Slices are sent in
// parallel and acknowledged out of order, so progress is a set of half-open ranges, not one offset.

import type { ByteRange } from './types.js';

/** Sorted, non-overlapping, non-adjacent copy of `ranges` (also cleans what a store hands back). */
export function normalizeRanges(ranges: readonly ByteRange[]): ByteRange[] {
  const valid = ranges
    .filter(([s, e]) => Number.isFinite(s) && Number.isFinite(e) && s >= 0 && e > s)
    .map(([s, e]): ByteRange => [s, e])
    .sort((a, b) => a[0] - b[0]);
  const out: ByteRange[] = [];
  for (const r of valid) {
    const last = out[out.length - 1];
    // Adjacent ranges merge too, so a fully sent file is one range [0, size).
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push(r);
  }
  return out;
}

/** `ranges` with `range` added and merged. Empty ranges are ignored. */
export function addRange(ranges: readonly ByteRange[], range: ByteRange): ByteRange[] {
  return normalizeRanges([...ranges, range]);
}

/** Whether every byte of `range` is inside one of `ranges` (which must be normalized). */
export function containsRange(ranges: readonly ByteRange[], range: ByteRange): boolean {
  if (range[1] <= range[0]) return true;
  return ranges.some(([s, e]) => s <= range[0] && range[1] <= e);
}

/** Number of bytes covered. */
export function totalBytes(ranges: readonly ByteRange[]): number {
  return ranges.reduce((sum, [s, e]) => sum + Math.max(0, e - s), 0);
}

/** Only the bytes below `end`: used when the server's offset shows it lost what we thought it had. */
export function clipRanges(ranges: readonly ByteRange[], end: number): ByteRange[] {
  return normalizeRanges(ranges.map(([s, e]): ByteRange => [s, Math.min(e, end)]));
}

/**
 * The slices still to send: exactly `sliceSize` bytes from the server's `offset` (the last one
 * shorter), leaving out slices already acknowledged (sent in parallel earlier, beyond the offset).
 * Each slice is made when it is taken, never listed: the plan holds a cursor and a copy of the acked
 * ranges, O(ranges) whatever the file's slice count (a 4 GiB file has 4096 slices of 1 MiB, whose
 * list stayed on the heap for the whole upload; bench/README.md, "heap growth at 4 GiB").
 */
export class SlicePlan implements Iterable<ByteRange> {
  readonly #size: number;
  readonly #sliceSize: number;
  readonly #acked: readonly ByteRange[];
  /** Where the next candidate slice starts. */
  #start: number;
  #next: ByteRange | undefined;

  constructor(size: number, offset: number, sliceSize: number, acked: readonly ByteRange[]) {
    if (!(sliceSize > 0)) throw new RangeError(`slice size must be positive, got ${sliceSize}`);
    this.#size = size;
    this.#sliceSize = sliceSize;
    this.#acked = acked.map(([s, e]): ByteRange => [s, e]);
    this.#start = Math.max(0, offset);
    this.#next = this.#find();
  }

  /** The next slice, left in the plan (what the slice being sent prefetches). */
  peek(): ByteRange | undefined {
    return this.#next;
  }

  /** The next slice, taken out of the plan; undefined once every slice was taken. */
  take(): ByteRange | undefined {
    const range = this.#next;
    if (range) this.#next = this.#find();
    return range;
  }

  /** Takes the slices left, in order. */
  *[Symbol.iterator](): Iterator<ByteRange> {
    for (let range = this.take(); range; range = this.take()) yield range;
  }

  #find(): ByteRange | undefined {
    while (this.#start < this.#size) {
      const range: ByteRange = [this.#start, Math.min(this.#start + this.#sliceSize, this.#size)];
      this.#start = range[1];
      if (!containsRange(this.#acked, range)) return range;
    }
    return undefined;
  }
}

/** The plan of the slices still to send (SlicePlan). */
export function plannedSlices(size: number, offset: number, sliceSize: number, acked: readonly ByteRange[]): SlicePlan {
  return new SlicePlan(size, offset, sliceSize, acked);
}
