// One upload's retry state: the attempts in a row that made no progress, the session-level
// recoveries tried at once, the re-hashes, and the retry being waited for (shown in the snapshot).
// The flow (upload-flow.ts) asks it what to do; the backoff schedule itself is in backoff.ts.

import { MAX_ATTEMPTS_WITHOUT_PROGRESS, backoffDelay } from './backoff.js';
import { retriesExhausted, shaRejectedTwice } from './error-mapping.js';
import type { UploadError } from './errors.js';

/** Session-level recoveries (-95, -4019, "all acked but no done") tried at once before backing off. */
export const QUICK_RECOVERIES_BEFORE_BACKOFF = 2;

export class RetryState {
  /** Backoffs in a row without an acknowledged slice. */
  attempts = 0;
  #quickRecoveries = 0;
  #rehashes = 0;
  /** While waiting to retry: when, and the failure being retried. */
  waiting?: { at: number; reason: UploadError };

  /** A slice was acknowledged: the upload moves, so the counts start over. */
  progressed(): void {
    this.attempts = 0;
    this.#quickRecoveries = 0;
  }

  /** The user pressed Retry: everything starts over. */
  reset(): void {
    this.progressed();
    this.#rehashes = 0;
    this.waiting = undefined;
  }

  /** Counts a session-level recovery; true once there were too many at once to go on without a pause. */
  quickRecoveryNeedsBackoff(): boolean {
    return ++this.#quickRecoveries > QUICK_RECOVERIES_BEFORE_BACKOFF;
  }

  /** -4016: one new hash is worth it; a second refusal means the file changes while it uploads. */
  allowRehash(err: UploadError): void {
    if (++this.#rehashes > 1) throw shaRejectedTwice(err);
  }

  /** Starts waiting for the next attempt and returns the delay; throws once no attempt is left. */
  startBackoff(err: UploadError, now: number, random: () => number): number {
    this.attempts++;
    if (this.attempts > MAX_ATTEMPTS_WITHOUT_PROGRESS) throw retriesExhausted(err, this.attempts - 1);
    const delayMs = backoffDelay(this.attempts, random);
    this.waiting = { at: now + delayMs, reason: err };
    return delayMs;
  }

  /** The wait is over, or cut short (pause, cancel, error). */
  stopWaiting(): void {
    this.waiting = undefined;
  }
}
