// Cross-tab exclusion per upload key: WebLocks on navigator.locks (held until release()), and
// MemoryLocks for Node and browsers without Web Locks (one tab: only this page can hold a lock).

import type { LockHandle, UploadLocks } from '../engine/types.js';
import { abortedError, type UploadError } from '../engine/errors.js';

function lockAbortError(reason: unknown): UploadError {
  return abortedError(reason, 'Waiting for the upload lock was aborted.');
}

export const lockName = (key: string): string => `vod-uploader:${key}`;

/** release() may be called many times; only the first one counts. */
function onceHandle(release: () => void): LockHandle {
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      release();
    },
  };
}

export class WebLocks implements UploadLocks {
  readonly #locks: LockManager;

  constructor(locks: LockManager = navigator.locks) {
    this.#locks = locks;
  }

  tryAcquire(key: string): Promise<LockHandle | null> {
    return new Promise((resolve, reject) => {
      this.#locks
        .request(lockName(key), { ifAvailable: true }, (lock) => {
          if (!lock) {
            resolve(null);
            return;
          }
          // The lock is held for as long as this promise is pending: release() settles it.
          return new Promise<void>((release) => resolve(onceHandle(release)));
        })
        .catch(reject);
    });
  }

  acquire(key: string, signal?: AbortSignal): Promise<LockHandle> {
    if (signal?.aborted) return Promise.reject(lockAbortError(signal.reason));
    return new Promise((resolve, reject) => {
      this.#locks
        .request(lockName(key), { signal }, () => new Promise<void>((release) => resolve(onceHandle(release))))
        .catch((error: unknown) => reject(signal?.aborted ? lockAbortError(signal.reason) : error));
    });
  }
}

export class MemoryLocks implements UploadLocks {
  readonly #held = new Set<string>();
  readonly #waiters = new Map<string, Array<() => void>>();

  async tryAcquire(key: string): Promise<LockHandle | null> {
    return this.#held.has(key) ? null : this.#take(key);
  }

  acquire(key: string, signal?: AbortSignal): Promise<LockHandle> {
    if (signal?.aborted) return Promise.reject(lockAbortError(signal.reason));
    if (!this.#held.has(key)) return Promise.resolve(this.#take(key));
    return new Promise((resolve, reject) => {
      const queue = this.#waiters.get(key) ?? [];
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(this.#take(key));
      };
      const onAbort = (): void => {
        const i = queue.indexOf(grant);
        if (i >= 0) queue.splice(i, 1);
        reject(lockAbortError(signal?.reason));
      };
      queue.push(grant);
      this.#waiters.set(key, queue);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #take(key: string): LockHandle {
    this.#held.add(key);
    return onceHandle(() => {
      this.#held.delete(key);
      const next = this.#waiters.get(key)?.shift();
      if (this.#waiters.get(key)?.length === 0) this.#waiters.delete(key);
      next?.();
    });
  }
}
