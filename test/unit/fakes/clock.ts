// A fake clock and sleep for engine tests: time moves only when a test or a fake says so, and a
// backoff "sleep" returns on the next turn of the event loop (recording its delay once it has slept
// it), unless the test holds sleeps to look at the 'retrying' state in between. The next turn, not a
// microtask: like any real timer it comes after work already under way (a read of the file that a
// sleep races, error-mapping.ts verdictWithin), and a sleep cancelled before it ends is not listed.

import { abortedError } from '../../../src/engine/errors.js';

export class FakeClock {
  time = 1_700_000_000_000;
  /** The delays slept to their end, in order. */
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
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason ?? abortedError());
      let cancelled = false;
      const wake = (): void => {
        if (cancelled) return;
        signal?.removeEventListener('abort', onAbort);
        this.sleeps.push(ms);
        this.time += ms;
        resolve();
      };
      const onAbort = (): void => {
        cancelled = true;
        this.held = this.held.filter((w) => w !== wake);
        reject(signal?.reason ?? abortedError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.holding) this.held.push(wake);
      else setImmediate(wake);
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
