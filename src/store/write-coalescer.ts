// Coalesces frequent writes of the same key (a session record after every acknowledged slice) into
// at most one write in flight per key, the latest value winning, and at most one write per key every
// `minIntervalMs`. Pure logic over an async `write` function, so Node tests can drive it with fakes.
//
// Guarantee: a value handed to `put` is written no later than `minIntervalMs` + one write's duration
// after it was given (or is superseded by a newer value of the same key within that time). So after a
// crash or reload at most the last ~minIntervalMs of updates are lost, which for an upload only means
// re-sending the slices acknowledged in that window. `flush()` writes everything pending now,
// `flush(key)` that key's; `put(key, value, true)` writes that value as soon as the key's write in
// flight (if any) is over, for values a reload must not lose.
// The interval runs on an injected timer (clock.ts): in browsers a worker's, which hidden tabs do not
// delay, so the guarantee holds in a background tab too.

import { plainTimer, type ScheduleTimer } from '../engine/clock.js';

export interface WriteCoalescerOptions<T> {
  write(key: string, value: T): Promise<void>;
  minIntervalMs: number;
  /** Default: the page's setTimeout. */
  schedule?: ScheduleTimer;
}

interface KeyState<T> {
  pending?: { value: T; waiters: Array<() => void> };
  inFlight?: Promise<void>;
  lastWriteStart: number;
  cancelTimer?: () => void;
  wake?: () => void;
}

export class WriteCoalescer<T> {
  readonly #write: (key: string, value: T) => Promise<void>;
  readonly #minIntervalMs: number;
  readonly #schedule: ScheduleTimer;
  readonly #keys = new Map<string, KeyState<T>>();

  constructor(options: WriteCoalescerOptions<T>) {
    this.#write = options.write;
    this.#minIntervalMs = options.minIntervalMs;
    this.#schedule = options.schedule ?? plainTimer;
  }

  /**
   * Resolves once this value, or a newer one for the same key, has been written (or dropped by `drop`).
   * `now`: no interval wait for this value (it still waits for the key's write in flight).
   */
  put(key: string, value: T, now = false): Promise<void> {
    let state = this.#keys.get(key);
    if (!state) {
      state = { lastWriteStart: -Infinity };
      this.#keys.set(key, state);
    }
    const waiters = state.pending?.waiters ?? [];
    const done = new Promise<void>((resolve) => waiters.push(resolve));
    state.pending = { value, waiters };
    if (now) this.#hurry(state);
    if (!state.inFlight) state.inFlight = this.#drain(key, state);
    return done;
  }

  /** The key's next write goes without waiting for the interval. */
  #hurry(state: KeyState<T>): void {
    state.lastWriteStart = -Infinity;
    state.wake?.();
  }

  /** Forgets the pending value of `key` (it is being deleted) and waits for a write in flight. */
  async drop(key: string): Promise<void> {
    const state = this.#keys.get(key);
    if (!state) return;
    const pending = state.pending;
    state.pending = undefined;
    state.wake?.();
    pending?.waiters.forEach((resolve) => resolve());
    await state.inFlight;
    if (!state.pending && !state.inFlight) this.#keys.delete(key);
  }

  /**
   * Writes every pending value now (no interval wait), or only that of `key` (a read of one key
   * waits for no other key's write), and resolves when they are written.
   */
  async flush(key?: string): Promise<void> {
    const inFlight: Promise<void>[] = [];
    const one = key === undefined ? undefined : this.#keys.get(key);
    if (key !== undefined && !one) return;
    for (const state of one ? [one] : this.#keys.values()) {
      this.#hurry(state);
      if (state.inFlight) inFlight.push(state.inFlight);
    }
    await Promise.all(inFlight);
  }

  async #drain(key: string, state: KeyState<T>): Promise<void> {
    try {
      while (state.pending) {
        const wait = state.lastWriteStart + this.#minIntervalMs - Date.now();
        if (wait > 0) {
          await new Promise<void>((resolve) => {
            state.wake = resolve;
            state.cancelTimer = this.#schedule(resolve, wait);
          });
          state.cancelTimer?.();
          state.wake = undefined;
          continue; // re-check: flush() or drop() may have changed things
        }
        const { value, waiters } = state.pending;
        state.pending = undefined;
        state.lastWriteStart = Date.now();
        try {
          await this.#write(key, value);
        } catch {
          // The write function reports its own failures (the store warns and degrades).
        } finally {
          // Waiters only learn that the write is over, not how it went.
          waiters.forEach((resolve) => resolve());
        }
      }
    } finally {
      // The key's state stays (a few bytes) so the interval still holds for the next put.
      state.inFlight = undefined;
    }
  }
}
