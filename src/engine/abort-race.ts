// The one way a wait is cut short by an AbortSignal: the caller's promise settles at once on abort,
// the listener never outlives the wait, and an already aborted caller starts nothing.

export interface RaceAbortOptions {
  /** What the race rejects with when the signal wins (default: the signal's reason as it is). */
  error?: (reason: unknown) => unknown;
  /** Stops the work the abort made pointless (cancel a body, clear a timer); also on an early abort. */
  onAbort?: () => void;
}

/**
 * Settles as `start()` does, or rejects as soon as `signal` aborts. The work is not stopped by the
 * race itself: pass the signal on to it too, or stop it in `onAbort`.
 */
export function raceAbort<T>(
  signal: AbortSignal | undefined,
  start: () => Promise<T>,
  options: RaceAbortOptions = {},
): Promise<T> {
  const aborted = (): unknown => {
    options.onAbort?.();
    return options.error ? options.error(signal?.reason) : signal?.reason;
  };
  if (signal?.aborted) return Promise.reject(aborted());
  let work: Promise<T>;
  try {
    work = start();
  } catch (error) {
    return Promise.reject(error);
  }
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(aborted());
    // start() itself may have aborted the signal: the event has fired already.
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** `promise`, or a rejection with `timeoutError()` once `ms` pass first; the timer never outlives it. */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  timeoutError: () => unknown = () => new DOMException(`No answer within ${ms} ms`, 'TimeoutError'),
): Promise<T> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(timeoutError()), ms);
  return raceAbort(timeout.signal, () => promise).finally(() => clearTimeout(timer));
}
