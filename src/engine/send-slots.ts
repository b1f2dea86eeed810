// The queue's sending slots: how many of its files may talk to the server at once (`parallelFiles`).
// A file takes one after its hash is complete and before its first request, and holds it until its
// run ends or (above one slot) until its last slices are on their way; files hashed ahead wait here,
// in the order they asked, without holding the server.

import { raceAbort } from './abort-race.js';

export class SendSlots {
  #held = 0;
  readonly #waiters: Array<() => void> = [];

  constructor(private limit: number) {}

  /** Files sending now. */
  get inUse(): number {
    return this.#held;
  }

  /**
   * Whether a file may give its slot back once its last slices are on their way (upload-flow.ts,
   * handOverSendSlot). Not with one slot: `parallelFiles` 1 is strictly one file after another, the
   * next file's first request after the previous file's last answer (and the bench's "one at a time").
   */
  get handOverEarly(): boolean {
    return this.limit > 1;
  }

  setLimit(limit: number): void {
    this.limit = limit;
    this.#wake();
  }

  /** A slot now, or undefined when all are taken. */
  tryAcquire(): (() => void) | undefined {
    if (this.#held >= this.limit || this.#waiters.length > 0) return undefined;
    this.#held++;
    return this.#releaser();
  }

  /** Waits for a slot; rejects with the signal's reason on abort (the place in line is given up). */
  acquire(signal: AbortSignal): Promise<() => void> {
    const now = this.tryAcquire();
    if (now) return Promise.resolve(now);
    let waiter: (() => void) | undefined;
    let granted: (() => void) | undefined;
    return raceAbort(
      signal,
      () =>
        new Promise<() => void>((resolve) => {
          waiter = () => {
            this.#held++;
            granted = this.#releaser();
            resolve(granted);
          };
          this.#waiters.push(waiter);
        }),
      {
        onAbort: () => {
          const i = waiter ? this.#waiters.indexOf(waiter) : -1;
          if (i >= 0) this.#waiters.splice(i, 1);
          granted?.(); // granted just before the abort won the race: nobody will release it
        },
      },
    );
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#held--;
      this.#wake();
    };
  }

  #wake(): void {
    while (this.#held < this.limit && this.#waiters.length > 0) this.#waiters.shift()!();
  }
}
