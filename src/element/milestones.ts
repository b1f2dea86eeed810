// What the live region says while a batch (more than one file) uploads, and how often: a file done
// (small batches only), every 10 % of the files of a big batch finished, failures coalesced
// ("3 uploads failed"), and the batch done; at most one announcement per MIN_GAP_MS (and SETTLE_MS after
// the first news), where what came up meanwhile is merged into the next one. Pure: the clock and the timer come in, so Node tests
// drive it with fakes. A single file keeps the controller's own start/quarter/done sentences.

import type { QueueTotals } from './queue-summary.js';

/** A screen reader reads one sentence in about this long: more would queue up or cut each other off. */
export const MIN_GAP_MS = 2000;
/** Up to this many files, each file's completion is said by name; above it, tenths of the batch. */
export const SMALL_BATCH = 10;
/** Even after a silence, wait this long first: a burst (three failures at once) becomes one sentence. */
export const SETTLE_MS = 300;

export interface MilestoneTexts {
  done(name: string): string;
  doneMany(count: number): string;
  failedOne(name: string, message: string): string;
  failedMany(count: number): string;
  /** `finished` = done + failed, of `files` (cancelled ones left out). */
  progress(fraction: number, finished: number, files: number): string;
  batchDone(done: number, failed: number): string;
}

export interface MilestoneClock {
  now(): number;
  /** Runs `fn` after `ms`; returns what cancels it. */
  later(fn: () => void, ms: number): () => void;
}

export const realClock: MilestoneClock = {
  now: () => Date.now(),
  later: (fn, ms) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

export class MilestoneAnnouncer {
  #lastAt = -Infinity;
  #cancelTimer?: () => void;
  #doneNames: string[] = [];
  #failures: { count: number; name: string; message: string } = { count: 0, name: '', message: '' };
  #progress?: string;
  #batchDone?: string;
  #lastTenth = 0;
  #running = false;

  readonly #say: (text: string) => void;
  readonly #texts: () => MilestoneTexts;
  readonly #clock: MilestoneClock;

  constructor(say: (text: string) => void, texts: () => MilestoneTexts, clock: MilestoneClock = realClock) {
    this.#say = say;
    this.#texts = texts;
    this.#clock = clock;
  }

  fileDone(name: string, totals: QueueTotals): void {
    if (batchSize(totals) <= SMALL_BATCH) this.#doneNames.push(name);
    this.totalsChanged(totals);
  }

  fileFailed(name: string, message: string, totals: QueueTotals): void {
    this.#failures = { count: this.#failures.count + 1, name, message };
    this.totalsChanged(totals);
  }

  /** Call after any change of the totals: finds the tenths and the end of the batch. */
  totalsChanged(totals: QueueTotals): void {
    const files = batchSize(totals);
    const finished = totals.done + totals.failed;
    if (totals.unfinished > 0) this.#running = true;
    const tenth = files > 0 ? Math.floor((finished / files) * 10) : 0;
    if (tenth < this.#lastTenth) this.#lastTenth = tenth; // files were added: count from here
    if (this.#running && totals.unfinished === 0 && files > 0) {
      this.#running = false;
      this.#lastTenth = 10;
      this.#batchDone = this.#texts().batchDone(totals.done, totals.failed);
    } else if (files > SMALL_BATCH && tenth > this.#lastTenth && tenth < 10) {
      this.#lastTenth = tenth;
      this.#progress = this.#texts().progress(tenth / 10, finished, files);
    }
    if (this.#pending) this.#schedule();
  }

  /** Drops what is pending (the list was cleared, the element removed). */
  reset(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#clear();
    this.#lastTenth = 0;
    this.#running = false;
  }

  get #pending(): boolean {
    return Boolean(this.#batchDone || this.#progress || this.#doneNames.length || this.#failures.count);
  }

  #schedule(): void {
    if (this.#cancelTimer) return;
    const wait = Math.max(SETTLE_MS, this.#lastAt + MIN_GAP_MS - this.#clock.now());
    this.#cancelTimer = this.#clock.later(() => {
      this.#cancelTimer = undefined;
      this.#flush();
    }, wait);
  }

  /** One sentence of everything pending: the end of the batch says the counts, so it replaces the rest. */
  #flush(): void {
    const t = this.#texts();
    const parts: string[] = [];
    if (this.#batchDone) parts.push(this.#batchDone);
    else {
      if (this.#progress) parts.push(this.#progress);
      else if (this.#doneNames.length === 1) parts.push(t.done(this.#doneNames[0]!));
      else if (this.#doneNames.length > 1) parts.push(t.doneMany(this.#doneNames.length));
      const f = this.#failures;
      if (f.count === 1) parts.push(t.failedOne(f.name, f.message));
      else if (f.count > 1) parts.push(t.failedMany(f.count));
    }
    this.#clear();
    if (parts.length === 0) return;
    this.#lastAt = this.#clock.now();
    this.#say(parts.join(' '));
  }

  #clear(): void {
    this.#doneNames = [];
    this.#failures = { count: 0, name: '', message: '' };
    this.#progress = undefined;
    this.#batchDone = undefined;
  }
}

/** The files the batch is about: cancelled ones were given up. */
function batchSize(t: QueueTotals): number {
  return t.files - t.cancelled;
}
