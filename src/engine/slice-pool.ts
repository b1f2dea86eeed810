// Sends a list of slices with a bounded number in flight: at most `limit()` of this file (read again
// every time a slot frees, so adaptive concurrency applies at once), each holding a slot of the page's
// budget shared with the other files sending (slice-budget.ts).
// Stops launching at the first failure; a transient failure lets the slices in flight finish (they
// may well succeed, and their bytes then need not be sent again), any other failure aborts them.
// A `done` answer (which may arrive on any slice) aborts the rest: the server has the whole file.
// Once the last slice is launched the pool says so (`onAllSent`): from then on it only awaits answers.

import { ErrorAction, UploadError, isAbortError } from './errors.js';
import type { SlicePlan } from './ranges.js';
import type { SliceBudget } from './slice-budget.js';
import type { ByteRange, SliceResult, UploadResult } from './types.js';

export interface SlicePoolOptions {
  /** Taken one slice at a time as lanes free (never listed: ranges.ts). */
  slices: SlicePlan;
  signal: AbortSignal;
  budget: SliceBudget;
  limit(): number;
  /** `next`: the slice the plan gives after this one (undefined at the end), for a prefetch. */
  send(range: ByteRange, next: ByteRange | undefined, signal: AbortSignal): Promise<SliceResult>;
  /** A slice was acknowledged (also the one that completed the file). */
  onAck(range: ByteRange): void;
  onError?(error: unknown): void;
  /** Every slice is launched and none has failed: what is left is waiting for answers. Called once. */
  onAllSent?(): void;
}

export interface SlicePoolOutcome {
  /** Set when some slice's answer said the file is complete. */
  result?: UploadResult;
  /** Slices acknowledged in this round. */
  acked: number;
}

export function runSlicePool(o: SlicePoolOptions): Promise<SlicePoolOutcome> {
  return new Promise((resolve, reject) => {
    const local = new AbortController();
    const onParentAbort = (): void => {
      local.abort(o.signal.reason);
      if (inFlight === 0) settle(); // it may be waiting for a slot, with nothing in flight to end it
    };
    if (o.signal.aborted) return reject(o.signal.reason);
    o.signal.addEventListener('abort', onParentAbort, { once: true });

    let inFlight = 0;
    let acked = 0;
    let stopped = false;
    let settled = false;
    let failure: unknown;
    let result: UploadResult | undefined;
    let allSent = false;
    const slots = o.budget.join(() => launch());

    const settle = (): void => {
      if (settled) return;
      settled = true;
      slots.leave();
      o.signal.removeEventListener('abort', onParentAbort);
      if (result) resolve({ result, acked });
      else if (o.signal.aborted) reject(o.signal.reason);
      else if (failure !== undefined) reject(failure);
      else resolve({ acked });
    };

    const finished = (): boolean => stopped || local.signal.aborted || o.slices.peek() === undefined;

    const launch = (): void => {
      if (settled) return;
      while (!finished() && inFlight < Math.max(1, o.limit()) && slots.take()) {
        const range = o.slices.take()!;
        inFlight++;
        o.send(range, o.slices.peek(), local.signal).then(
          (answer) => {
            inFlight--;
            acked++;
            o.onAck(range);
            if (answer.kind === 'done' && !result) {
              result = answer.result;
              stopped = true;
              local.abort(new Error('complete'));
            }
            slots.give(); // after the outcome is recorded: a file woken by it may run at once
            afterSettle();
          },
          (e: unknown) => {
            inFlight--;
            // Aborts caused by our own stop are the consequence of another outcome, not a failure.
            if (!(local.signal.aborted && isAbortError(e)) && failure === undefined && !result) {
              failure = e;
              o.onError?.(e);
              stopped = true;
              const transient = e instanceof UploadError && e.action === ErrorAction.Retry;
              if (!transient) local.abort(e);
            }
            slots.give();
            afterSettle();
          },
        );
      }
      if (!allSent && !stopped && o.slices.peek() === undefined && inFlight > 0) {
        allSent = true;
        o.onAllSent?.();
      }
      // With nothing in flight and slices left, the file waits for a slot of the page's budget.
      if (inFlight === 0 && finished()) settle();
    };

    const afterSettle = (): void => {
      if (inFlight === 0 && finished()) settle();
      else launch();
    };

    launch();
  });
}
