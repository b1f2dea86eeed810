// Small statistics and units shared by the sections: medians and throughput.

import { MiB } from './args.js';

/** One figure measured `samples.length` times; `value` is the median. */
export interface Figure {
  value: number;
  samples: number[];
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function figure(samples: number[]): Figure {
  return { value: median(samples), samples };
}

/** MiB per second for `bytes` in `ms`. */
export function mibps(bytes: number, ms: number): number {
  return bytes / MiB / (ms / 1000);
}
