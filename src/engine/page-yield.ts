// Giving the page back during long loops over a pick of thousands of files: one task-boundary helper
// and one pacer that says when a stretch of work has used its budget. Framework-free (the engine's
// `addAll`, the element's intake and folder walk use it).

/**
 * A task boundary: input, rendering and the page's own timers run before the work goes on. A timer,
 * not `scheduler.yield()`: Chromium runs yield continuations ahead of timers, so a loop of 8 ms
 * stretches joined by `scheduler.yield()` let a 10 ms interval fire 5 times in 1.5 s (a timer chain
 * let it fire 149 times); a host page's own timers must not wait for our pick.
 */
export function yieldToPage(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Work between two yields: far under a 50 ms long task, with room for a slow or busy machine. */
export const PAGE_SLICE_MS = 8;

/**
 * Paces a loop: `if (pacer.due()) await pacer.yield();` between items. Time-based, not count-based,
 * because an item's cost varies by a hundred times: Chromium's first look at a chosen file's `size`
 * asks its browser process (~0.5 ms a file), later looks are cached.
 */
export class Pacer {
  readonly #yieldNow: () => Promise<void>;
  readonly #now: () => number;
  readonly #budgetMs: number;
  #since: number;

  constructor(yieldNow: () => Promise<void> = yieldToPage, now: () => number = () => performance.now(), budgetMs = PAGE_SLICE_MS) {
    this.#yieldNow = yieldNow;
    this.#now = now;
    this.#budgetMs = budgetMs;
    this.#since = now();
  }

  /** The work since the last yield has used its budget. */
  due(): boolean {
    return this.#now() - this.#since >= this.#budgetMs;
  }

  async yield(): Promise<void> {
    await this.#yieldNow();
    this.#since = this.#now();
  }
}
