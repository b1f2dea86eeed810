// A fake clock and sleep for engine tests: time moves only when a test or a fake says so, and a
// backoff "sleep" returns at once (recording its delay) unless the test holds sleeps to look at
// the 'retrying' state in between.

import { abortedError } from '../../../src/engine/errors.js';

export class FakeClock {
  time = 1_700_000_000_000;
  readonly sleeps: number[] = [];
  private holding = false;
  private held: (() => void)[] = [];

  readonly now = (): number => this.time;

  advance(ms: number): void {
    this.time += ms;
  }

  /** From now on sleeps wait for `releaseSleeps()`. */
  holdSleeps(): void {
    this.holding = true;
  }

  releaseSleeps(): void {
    this.holding = false;
    const held = this.held;
    this.held = [];
    for (const wake of held) wake();
  }

  readonly sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    this.sleeps.push(ms);
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason ?? abortedError());
      const wake = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.time += ms;
        resolve();
      };
      const onAbort = (): void => {
        this.held = this.held.filter((w) => w !== wake);
        reject(signal?.reason ?? abortedError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.holding) this.held.push(wake);
      else queueMicrotask(wake);
    });
  };
}

/** A scripted random(): returns the values in turn, then the last one forever. */
export function scriptedRandom(values: number[]): () => number {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)] ?? 0.5;
}

/** Lets every pending promise callback and I/O tick run (setImmediate comes after microtasks). */
export function flush(rounds = 5): Promise<void> {
  return new Promise((resolve) => {
    let n = 0;
    const step = (): void => {
      if (++n >= rounds) resolve();
      else setImmediate(step);
    };
    setImmediate(step);
  });
}
