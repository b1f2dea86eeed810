// How many slices of one file are in flight. `concurrency` is a cap, as every peer's option of that
// name is (Uppy `limit`, FilePond `maxParallelUploads`): the engine adapts only below it.
// - start at the cap;
// - a timeout halves it (minimum 1): the link or the server is saturated;
// - after STEP_UP_STREAK acknowledged slices in a row without a timeout, one more slot, up to the cap.

export const STEP_UP_STREAK = 8;

export class AdaptiveConcurrency {
  #current: number;
  #streak = 0;

  #cap: number;
  readonly #enabled: boolean;

  constructor(cap: number, enabled = true) {
    this.#cap = cap;
    this.#enabled = enabled;
    this.#current = cap;
  }

  get limit(): number {
    return this.#enabled ? this.#current : this.#cap;
  }

  /** The user changed the option: the new cap, and the starting point again. */
  setCap(n: number): void {
    this.#cap = n;
    this.#current = n;
    this.#streak = 0;
  }

  onTimeout(): void {
    this.#current = Math.max(1, Math.floor(this.#current / 2));
    this.#streak = 0;
  }

  onSliceAcked(): void {
    if (++this.#streak < STEP_UP_STREAK) return;
    this.#streak = 0;
    if (this.#current < this.#cap) this.#current++;
  }
}
