// The queue view's totals (files, done, failed, bytes sent of the total) and an ETA from a smoothed
// overall rate, kept incrementally: `update(snapshot)` applies one upload's change as a delta (O(1)),
// so the per-upload events of a 10,000-file queue never walk the list. `sync(list)` rebuilds from a
// whole list: only for changes of the list itself (add, remove, clear) and bulk actions, not ticks.

import type { UploadSnapshot, UploadStatus } from '../engine/types.js';

export interface QueueTotals {
  /** Rows in the list, cancelled ones included. */
  files: number;
  done: number;
  failed: number;
  cancelled: number;
  /** Queued, hashing, uploading, retrying or paused: what "Cancel all" would stop. */
  unfinished: number;
  /** Of the uploads not cancelled. */
  sentBytes: number;
  totalBytes: number;
}

interface Row {
  status: UploadStatus;
  size: number;
  sent: number;
}

/** A rate sample is taken at most this often: progress arrives up to 5 times a second per file. */
const RATE_SAMPLE_MS = 1000;
/** Weight of the newest sample in the smoothed rate (an exponential moving average). */
const RATE_WEIGHT = 0.3;

const EMPTY: QueueTotals = Object.freeze({ files: 0, done: 0, failed: 0, cancelled: 0, unfinished: 0, sentBytes: 0, totalBytes: 0 });

function rowOf(u: UploadSnapshot): Row {
  return { status: u.status, size: u.size, sent: u.status === 'done' ? u.size : Math.min(u.size, u.uploadedBytes) };
}

/** Adds (`sign` 1) or takes away (`sign` -1) one row's share of the totals. */
function count(t: QueueTotals, row: Row, sign: 1 | -1): void {
  t.files += sign;
  if (row.status === 'done') t.done += sign;
  else if (row.status === 'error') t.failed += sign;
  else if (row.status === 'cancelled') t.cancelled += sign;
  else t.unfinished += sign;
  if (row.status !== 'cancelled') {
    t.sentBytes += sign * row.sent;
    t.totalBytes += sign * row.size;
  }
}

export class QueueSummary {
  readonly #rows = new Map<string, Row>();
  #totals: QueueTotals = { ...EMPTY };
  #rate = 0;
  #sample?: { at: number; sent: number };

  constructor(private readonly now: () => number = Date.now) {}

  get totals(): Readonly<QueueTotals> {
    return this.#totals;
  }

  /** Bytes per second over the whole queue, smoothed; 0 until two samples a second apart exist. */
  get rate(): number {
    return this.#rate;
  }

  /** Seconds until everything unfinished is sent, from the smoothed rate; undefined while unknown. */
  get eta(): number | undefined {
    const t = this.#totals;
    if (t.unfinished === 0 || this.#rate <= 0) return undefined;
    return (t.totalBytes - t.sentBytes) / this.#rate;
  }

  /** One upload changed (or joined): its old share of the totals out, its new one in. */
  update(u: UploadSnapshot): void {
    const before = this.#rows.get(u.id);
    if (before) count(this.#totals, before, -1);
    const row = rowOf(u);
    this.#rows.set(u.id, row);
    count(this.#totals, row, 1);
    this.#sampleRate();
  }

  remove(id: string): void {
    const row = this.#rows.get(id);
    if (!row) return;
    count(this.#totals, row, -1);
    this.#rows.delete(id);
    this.#sample = undefined;
  }

  /** Rebuilds from the whole list (a list change or a bulk action; never a progress tick). */
  sync(list: readonly UploadSnapshot[]): void {
    this.#rows.clear();
    this.#totals = { ...EMPTY };
    for (const u of list) {
      const row = rowOf(u);
      this.#rows.set(u.id, row);
      count(this.#totals, row, 1);
    }
    // Sent bytes may have dropped (rows removed): a rate from before would be wrong.
    this.#sample = undefined;
    if (this.#totals.unfinished === 0) this.#rate = 0;
  }

  /** Whether the summary holds the same rows as a list of `length` (cheap test for "the list changed"). */
  holds(length: number): boolean {
    return this.#rows.size === length;
  }

  #sampleRate(): void {
    const at = this.now();
    const sent = this.#totals.sentBytes;
    if (this.#totals.unfinished === 0) {
      this.#rate = 0;
      this.#sample = undefined;
      return;
    }
    if (!this.#sample || sent < this.#sample.sent) {
      this.#sample = { at, sent };
      return;
    }
    const elapsed = at - this.#sample.at;
    if (elapsed < RATE_SAMPLE_MS) return;
    const current = ((sent - this.#sample.sent) * 1000) / elapsed;
    this.#rate = this.#rate > 0 ? RATE_WEIGHT * current + (1 - RATE_WEIGHT) * this.#rate : current;
    this.#sample = { at, sent };
  }
}
