// Runs work the user is not waiting for when the page is idle, so that it never lands in the task
// that handles a click or a dropped file. `timeoutMs` bounds the wait on a page that is never idle;
// where requestIdleCallback is missing (Safari), a timer stands in for it.

export function whenIdle(work: () => void, timeoutMs = 500): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => work(), { timeout: timeoutMs });
  else setTimeout(work, Math.min(timeoutMs, 50));
}
