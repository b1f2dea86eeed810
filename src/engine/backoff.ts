// Retry policy for transient failures: exponential backoff with "full jitter" (AWS architecture
// blog): delay = random() × min(cap, base·2^(attempt−1)). Full jitter spreads many clients that
// failed together (a server restart) instead of having them retry in lock-step.

/** First retry waits up to this long. */
export const RETRY_BASE_MS = 500;
/** No retry waits longer than this. */
export const RETRY_CAP_MS = 30_000;
/** Retries in a row without any acknowledged slice before the upload stops with a retryable error. */
export const MAX_ATTEMPTS_WITHOUT_PROGRESS = 8;

/** Delay before retry number `attempt` (1-based). `random` returns [0, 1). */
export function backoffDelay(attempt: number, random: () => number): number {
  const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
