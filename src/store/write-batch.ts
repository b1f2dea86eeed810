// Group commit for the session store: puts and deletes of many keys (thousands of small files, each
// saved, hashed, acknowledged and deleted) go to IndexedDB as one transaction per batch instead of
// one per record. The first operation starts a batch at the end of the current task's microtasks;
// operations that arrive while a batch is being written wait for it and go together in the next
// one, so the busier the page, the bigger the batches. Pure logic over `run`, tested in Node.

export type BatchOp<T> = { kind: 'put'; value: T } | { kind: 'delete' };

export class WriteBatcher<T> {
  readonly #run: (ops: ReadonlyMap<string, BatchOp<T>>) => Promise<void>;
  /** The next batch: the latest operation per key wins (a put then a delete is a delete). */
  #next = new Map<string, BatchOp<T>>();
  #waiters: Array<() => void> = [];
  #running = false;
  #scheduled = false;

  /** `run` writes one batch in one transaction; it reports its own failures and should not throw. */
  constructor(run: (ops: ReadonlyMap<string, BatchOp<T>>) => Promise<void>) {
    this.#run = run;
  }

  /** Resolves once the batch holding this value is written (or failed: `run` reported it). */
  put(key: string, value: T): Promise<void> {
    return this.#add(key, { kind: 'put', value });
  }

  delete(key: string): Promise<void> {
    return this.#add(key, { kind: 'delete' });
  }

  #add(key: string, op: BatchOp<T>): Promise<void> {
    this.#next.delete(key); // re-inserted last: a key's operations keep their order among keys
    this.#next.set(key, op);
    const done = new Promise<void>((resolve) => this.#waiters.push(resolve));
    this.#schedule();
    return done;
  }

  #schedule(): void {
    if (this.#running || this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#next.size > 0) {
        const ops = this.#next;
        const waiters = this.#waiters;
        this.#next = new Map();
        this.#waiters = [];
        try {
          await this.#run(ops);
        } catch {
          // `run` reports its own failures (the store warns and degrades).
        } finally {
          waiters.forEach((resolve) => resolve());
        }
      }
    } finally {
      this.#running = false;
    }
  }
}
