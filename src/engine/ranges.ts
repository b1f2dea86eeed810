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
 */
export function plannedSlices(
  size: number,
  offset: number,
  sliceSize: number,
  acked: readonly ByteRange[],
): ByteRange[] {
  if (!(sliceSize > 0)) throw new RangeError(`slice size must be positive, got ${sliceSize}`);
  const out: ByteRange[] = [];
  for (let start = Math.max(0, offset); start < size; start += sliceSize) {
    const range: ByteRange = [start, Math.min(start + sliceSize, size)];
    if (!containsRange(acked, range)) out.push(range);
  }
  return out;
}
