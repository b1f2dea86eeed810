// The browser's ScheduleTimer (engine/clock.ts): each timer runs in a tiny dedicated worker
// (timer.worker.ts), whose timers a hidden tab does not throttle, and at the same time as a plain
// setTimeout on the page. Whichever fires first wins and cancels the other, so a worker that cannot
// start (CSP `worker-src 'none'`, a blocked file) or never answers costs nothing but the throttling
// the page would have had anyway. After a worker error no worker is tried again in this page.
//
// Lifecycle: the worker starts with the first timer and ends WORKER_IDLE_MS after the last pending
// one fired or was cancelled; a page with no upload running has no timer, so no worker.

import { plainTimer, type ScheduleTimer } from '../engine/clock.js';
import type { TimerFired, TimerRequest } from './messages.js';

/** End the worker after this long without a pending timer (the write interval re-arms every 250 ms). */
export const WORKER_IDLE_MS = 10_000;

/** What worker-timers needs of a Worker (tests pass a fake). */
export interface TimerWorker {
  postMessage(message: TimerRequest): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<TimerFired>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

export interface WorkerTimersOptions {
  /** Default: the module worker timer.worker.ts; undefined where Worker does not exist. */
  createWorker?: () => TimerWorker;
  /** The page's own timer: the backstop, and the one idle timer. Default setTimeout. */
  fallback?: ScheduleTimer;
  idleMs?: number;
}

function defaultWorker(): TimerWorker {
  // Vite only recognises this literal form (and bundles the worker file).
  return new Worker(new URL('./timer.worker.ts', import.meta.url), { type: 'module' }) as unknown as TimerWorker;
}

export class WorkerTimers {
  readonly #createWorker: (() => TimerWorker) | undefined;
  readonly #fallback: ScheduleTimer;
  readonly #idleMs: number;
  /** Pending timers by id: what to call when the worker says so. */
  readonly #pending = new Map<number, () => void>();
  #worker: TimerWorker | undefined;
  #broken = false;
  #cancelIdle: (() => void) | undefined;
  #nextId = 1;

  constructor(options: WorkerTimersOptions = {}) {
    this.#createWorker = options.createWorker ?? (typeof Worker === 'undefined' ? undefined : defaultWorker);
    this.#fallback = options.fallback ?? plainTimer;
    this.#idleMs = options.idleMs ?? WORKER_IDLE_MS;
  }

  /** Whether a worker is up now (tests check that it ends). */
  get workerRunning(): boolean {
    return this.#worker !== undefined;
  }

  schedule: ScheduleTimer = (fire, ms) => {
    const id = this.#nextId++;
    let done = false;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      cancelBackstop();
      this.#pending.delete(id);
      this.#scheduleIdle();
      return true;
    };
    const cancelBackstop = this.#fallback(() => finish() && this.#cancelInWorker(id) && fire(), ms);
    const worker = this.#ensureWorker();
    if (worker) {
      this.#pending.set(id, () => finish() && fire());
      this.#post({ type: 'set', id, ms });
    }
    return () => {
      if (finish()) this.#cancelInWorker(id);
    };
  };

  /** Always true, so that it chains with && above. */
  #cancelInWorker(id: number): true {
    if (this.#worker) this.#post({ type: 'clear', id });
    return true;
  }

  #post(message: TimerRequest): void {
    try {
      this.#worker?.postMessage(message);
    } catch {
      this.#giveUp();
    }
  }

  #ensureWorker(): TimerWorker | undefined {
    this.#cancelIdle?.();
    this.#cancelIdle = undefined;
    if (this.#worker || this.#broken || !this.#createWorker) return this.#worker;
    try {
      const worker = this.#createWorker();
      worker.onmessage = (event) => this.#pending.get(event.data.id)?.();
      worker.onerror = (event) => {
        event.preventDefault();
        this.#giveUp();
      };
      this.#worker = worker;
    } catch {
      this.#broken = true; // a CSP that throws at construction: the backstops keep the time
    }
    return this.#worker;
  }

  /** The worker failed: its pending timers are left to their backstops, and no worker is made again. */
  #giveUp(): void {
    this.#broken = true;
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#pending.clear();
  }

  #scheduleIdle(): void {
    if (this.#pending.size > 0 || !this.#worker || this.#cancelIdle) return;
    this.#cancelIdle = this.#fallback(() => {
      this.#cancelIdle = undefined;
      if (this.#pending.size > 0) return;
      this.#worker?.terminate();
      this.#worker = undefined;
    }, this.#idleMs);
  }
}

/** The page's one set of worker timers: every queue's retries and session writes wait on it. */
export const pageTimers = /* @__PURE__ */ new WorkerTimers();
