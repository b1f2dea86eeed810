// How many slices of one file are in flight. The rule, kept simple enough to test:
// - start at the configured value;
// - a timeout halves it (minimum 1): the link or the server is saturated;
// - after STEP_UP_STREAK acknowledged slices in a row without a timeout, one more slot, up to the
//   configured value;
// - beyond the configured value (up to MAX_CONCURRENCY) only when the link looks latency-bound:
//   the round trip of a request without a body (the first request) is at least half of the average
//   slice time, i.e. most of each slice's time is waiting, not sending, so more parallel requests
//   fill the pipe. On a bandwidth-bound link more requests only share the same bandwidth.

import { MAX_SLICES_IN_FLIGHT as MAX_CONCURRENCY } from './options.js';

export const STEP_UP_STREAK = 8;
export const LATENCY_BOUND_RATIO = 0.5;

export class AdaptiveConcurrency {
  private current: number;
  private streak = 0;
  private streakMs = 0;
  private rttMs: number | undefined;

  constructor(
    private configured: number,
    private readonly enabled = true,
  ) {
    this.current = configured;
  }

  get limit(): number {
    return this.enabled ? this.current : this.configured;
  }

  /** The user changed the option: take it as the new ceiling and starting point. */
  setConfigured(n: number): void {
    this.configured = n;
    this.current = n;
    this.streak = 0;
    this.streakMs = 0;
  }

  /** Round trip of a body-less request; the smallest seen is the best estimate of latency. */
  observeRoundTrip(ms: number): void {
    this.rttMs = this.rttMs === undefined ? ms : Math.min(this.rttMs, ms);
  }

  onTimeout(): void {
    this.current = Math.max(1, Math.floor(this.current / 2));
    this.streak = 0;
    this.streakMs = 0;
  }

  onSliceAcked(durationMs: number): void {
    this.streak++;
    this.streakMs += durationMs;
    if (this.streak < STEP_UP_STREAK) return;
    const averageMs = this.streakMs / this.streak;
    this.streak = 0;
    this.streakMs = 0;
    if (this.current < this.configured) this.current++;
    else if (
      this.current < MAX_CONCURRENCY &&
      this.rttMs !== undefined &&
      this.rttMs >= LATENCY_BOUND_RATIO * averageMs
    ) {
      this.current++;
    }
  }
}
