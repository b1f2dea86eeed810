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

/**
 * Upload requests a page made (bench/pages/fetch-stats.ts): time-weighted in-flight sums and
 * durations, as recorded in the page.
 */
export interface FetchStats {
  requests: number;
  maxInFlight: number;
  /** Sum over time of in-flight count × ms; divided by busyMs it is the mean concurrency. */
  inFlightMs: number;
  /** Time with at least one upload request in flight. */
  busyMs: number;
  /** Sum of request durations (ms). */
  totalRequestMs: number;
}

/** What a row is labelled with: requests, mean and maximum in flight, mean duration. */
export interface RequestSummary {
  count: number;
  meanInFlight: number;
  maxInFlight: number;
  meanMs: number;
}

export function summarizeRequests(stats: FetchStats): RequestSummary {
  return {
    count: stats.requests,
    meanInFlight: stats.busyMs > 0 ? stats.inFlightMs / stats.busyMs : 0,
    maxInFlight: stats.maxInFlight,
    meanMs: stats.requests > 0 ? stats.totalRequestMs / stats.requests : 0,
  };
}
