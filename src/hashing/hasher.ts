// The main-thread face of hashing: WorkerHasher sends jobs to one module worker (hash.worker.ts);
// createHasher() adds the main-thread fallback for when the worker cannot start or cannot run
// WebAssembly; its hashing code is a separate chunk, so pages whose worker works never download it.
//
// One worker serves every file and job; jobs are multiplexed by id rather than queued, so a sample()
// of a newly chosen file answers in milliseconds even while a 20 GB file is being hashed.
// Abort rejects the caller's promise at once and sends 'cancel': the worker drops the job at its next
// block boundary (a few ms). Terminating the worker would react no faster for the caller (its promise
// is already settled) and would kill the other jobs sharing the worker and cost a new WASM start-up.
// One exception: once the reader probe has run on a big file, the worker hands that job over to a
// fresh worker and is terminated, taking the probe's garbage with it (hash.worker.ts, Handoff).

import type { HashCheckpoint, HashOptions, Hasher } from '../engine/types.js';
import { hashAbortError, hashFailure, isHashingUnavailable } from './hash-errors.js';
import { MainThreadHasher } from './main-thread-hasher.js';
import type { ReaderKind } from './file-readers.js';
import type { HashRequest, HashResponse, HashTuning } from './messages.js';

/** Terminate the worker after this long without jobs; it is re-created on the next job. */
export const WORKER_IDLE_TIMEOUT_MS = 10_000;

export interface WorkerHasherOptions {
  idleTimeoutMs?: number;
  /** Block size, read-ahead and checkpoint interval other than hash-core's measured defaults. */
  tuning?: HashTuning;
}

interface Job {
  /** What was asked, kept to send it again to the next worker (handoff). */
  request: JobRequest;
  resolve(sha: string): void;
  reject(error: unknown): void;
  onProgress?(bytes: number): void;
  onCheckpoint?(checkpoint: HashCheckpoint): void;
  onWholeSha?(sha: string): void;
}

type JobRequest = HashRequest extends infer R ? (R extends { type: 'cancel' } ? never : Omit<R, 'id'>) : never;

export class WorkerHasher implements Hasher {
  readonly #idleTimeoutMs: number;
  readonly #tuning: HashTuning | undefined;
  #worker: Worker | undefined;
  /** Whether the current worker has answered once: an error before that means it never started. */
  #started = false;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #jobs = new Map<number, Job>();
  #nextId = 1;
  /**
   * Whole-file shas a sample job computed from its read of a small file (hash-core's
   * sampleAndSha1), each taken by the next sha1() of that very Blob: one worker job per small file.
   * Taken once, so a re-hash (the server refused the sha) reads the file again.
   */
  readonly #wholeShas = new WeakMap<Blob, string>();
  /**
   * The reader the probe chose in the worker that handed over: its successor reads with it and
   * probes no more. Forgotten when that worker ends (idle, failure), as the verdict kept in a worker
   * was before the handoff: a verdict the load skewed does not outlive the queue it was made for.
   */
  #reader: ReaderKind | undefined;
  /** The worker asked to be ended as soon as it has no job: its block reads' garbage (hash.worker.ts). */
  #retire = false;

  constructor(options: WorkerHasherOptions = {}) {
    this.#idleTimeoutMs = options.idleTimeoutMs ?? WORKER_IDLE_TIMEOUT_MS;
    this.#tuning = options.tuning;
  }

  sha1(file: Blob, options: HashOptions = {}): Promise<string> {
    const known = this.#wholeShas.get(file);
    if (known !== undefined) {
      this.#wholeShas.delete(file);
      if (!options.from && !options.signal?.aborted) return Promise.resolve(known);
    }
    // A copy: the caller keeps its checkpoint (it is stored), and posting must not detach it.
    const from = options.from ? { offset: options.from.offset, state: options.from.state.slice() } : undefined;
    return this.#run({ type: 'sha1', file, from, tuning: this.#tuning }, options.signal, options);
  }

  sample(file: Blob, signal?: AbortSignal): Promise<string> {
    return this.#run({ type: 'sample', file }, signal, { onWholeSha: (sha) => this.#wholeShas.set(file, sha) });
  }

  sliceSha1(blob: Blob, signal?: AbortSignal): Promise<string> {
    return this.#run({ type: 'slice', blob }, signal, {});
  }

  /** Stops the worker now; pending jobs reject. The next job starts a new worker. */
  terminate(): void {
    this.#failAll(hashAbortError('terminated'));
  }

  #run(
    request: JobRequest,
    signal: AbortSignal | undefined,
    handlers: Pick<Job, 'onProgress' | 'onCheckpoint' | 'onWholeSha'>,
  ): Promise<string> {
    if (signal?.aborted) return Promise.reject(hashAbortError(signal.reason));
    const id = this.#nextId++;
    let worker: Worker;
    try {
      worker = this.#ensureWorker();
    } catch (error) {
      // A CSP without worker-src makes some browsers throw here rather than fire 'error'.
      const e = error instanceof Error ? error : new Error(String(error));
      return Promise.reject(hashFailure('WorkerStartError', `${e.name}: ${e.message}`, error));
    }
    return new Promise<string>((resolve, reject) => {
      const onAbort = (): void => {
        if (!this.#jobs.delete(id)) return;
        this.#worker?.postMessage({ type: 'cancel', id } satisfies HashRequest);
        reject(hashAbortError(signal?.reason));
        this.#scheduleIdle();
      };
      const settle = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.#jobs.delete(id);
        this.#scheduleIdle();
      };
      this.#jobs.set(id, {
        request,
        resolve: (sha) => {
          settle();
          resolve(sha);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
        onProgress: handlers.onProgress,
        onCheckpoint: handlers.onCheckpoint,
        onWholeSha: handlers.onWholeSha,
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#send(worker, id, request);
    });
  }

  /** Posts a job, with the reader an earlier worker's probe chose unless the tuning forces one. */
  #send(worker: Worker, id: number, request: JobRequest): void {
    let message = { ...request, id } as HashRequest;
    if (message.type === 'sha1' && !message.tuning?.reader && this.#reader) message = { ...message, tuning: { ...message.tuning, reader: this.#reader } };
    worker.postMessage(message);
  }

  /**
   * The worker's probe has run (hash.worker.ts, Handoff): the job goes on from the state it reached,
   * in a fresh worker, and the old worker, with the probe's garbage, is terminated. Other jobs posted
   * to it meanwhile are sent again (the worker hands over only when it runs no other job).
   */
  #handOver(id: number, message: Extract<HashResponse, { type: 'handoff' }>): void {
    this.#reader = message.reader;
    const job = this.#jobs.get(id);
    if (job?.request.type === 'sha1') job.request = { ...job.request, from: { offset: message.offset, state: message.state } };
    this.#worker?.terminate();
    this.#worker = undefined;
    const worker = this.#ensureWorker();
    for (const [jobId, pending] of this.#jobs) this.#send(worker, jobId, pending.request);
  }

  #ensureWorker(): Worker {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    if (this.#worker) return this.#worker;
    // Vite only recognises this literal form (and bundles the worker with its imports).
    const worker = new Worker(new URL('./hash.worker.ts', import.meta.url), { type: 'module' });
    this.#started = false;
    this.#retire = false;
    worker.onmessage = (event: MessageEvent<HashResponse>) => {
      this.#started = true;
      this.#onMessage(event.data);
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      const name = this.#started ? 'WorkerError' : 'WorkerStartError';
      this.#failAll(hashFailure(name, event.message || 'the hashing worker failed to start'));
    };
    worker.onmessageerror = () => this.#failAll(hashFailure('DataCloneError', 'a worker message could not be read'));
    this.#worker = worker;
    return worker;
  }

  #onMessage(message: HashResponse): void {
    const job = this.#jobs.get(message.id);
    if (!job) return; // cancelled: the worker may still report a block or two
    switch (message.type) {
      case 'progress':
        job.onProgress?.(message.bytes);
        break;
      case 'checkpoint':
        job.onCheckpoint?.({ offset: message.offset, state: message.state });
        break;
      case 'done':
        if (message.retire) this.#retire = true;
        if (message.wholeSha !== undefined) job.onWholeSha?.(message.wholeSha);
        job.resolve(message.sha);
        break;
      case 'handoff':
        this.#handOver(message.id, message);
        break;
      case 'error':
        job.reject(hashFailure(message.name, message.message));
        break;
    }
  }

  #failAll(error: unknown): void {
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#reader = undefined;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    const jobs = [...this.#jobs.values()];
    this.#jobs.clear();
    for (const job of jobs) job.reject(error);
  }

  #scheduleIdle(): void {
    if (this.#jobs.size > 0 || !this.#worker || this.#idleTimer !== undefined) return;
    if (this.#retire) {
      // Its garbage goes now; the verdict it read with lives on until the idle timeout, as if it idled.
      this.#worker.terminate();
      this.#worker = undefined;
    }
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      if (this.#jobs.size > 0) return;
      this.#worker?.terminate();
      this.#worker = undefined;
      this.#reader = undefined;
    }, this.#idleTimeoutMs);
  }
}

/**
 * The worker while it works; once it cannot start or cannot run WebAssembly (a CSP, a blocked file),
 * the main-thread hasher. When that fails too, the job fails with kind `hashing-unavailable`, and the
 * next job tries the worker again (a Retry after the page changed).
 */
export class FallbackHasher implements Hasher {
  readonly #worker: WorkerHasher | undefined;
  readonly #mainThread = new MainThreadHasher();
  #useMainThread: boolean;

  constructor(options: WorkerHasherOptions = {}) {
    this.#worker = typeof Worker === 'undefined' ? undefined : new WorkerHasher(options);
    this.#useMainThread = !this.#worker;
  }

  sha1(file: Blob, options: HashOptions = {}): Promise<string> {
    return this.#run((hasher) => hasher.sha1(file, options));
  }

  sample(file: Blob, signal?: AbortSignal): Promise<string> {
    return this.#run((hasher) => hasher.sample(file, signal));
  }

  sliceSha1(blob: Blob, signal?: AbortSignal): Promise<string> {
    return this.#run((hasher) => hasher.sliceSha1(blob, signal));
  }

  async #run(job: (hasher: Hasher) => Promise<string>): Promise<string> {
    if (this.#worker && !this.#useMainThread) {
      try {
        return await job(this.#worker);
      } catch (error) {
        if (!isHashingUnavailable(error)) throw error;
        // Not terminated here: other jobs in it get the same answer and come here too; it ends when idle.
        this.#useMainThread = true;
      }
    }
    try {
      return await job(this.#mainThread);
    } catch (error) {
      // Not this file's fault: the next job starts with the worker again.
      if (isHashingUnavailable(error) && this.#worker) this.#useMainThread = false;
      throw error;
    }
  }
}

/** The Hasher to use here: the worker, with the main-thread fallback where the worker cannot run. */
export function createHasher(options: WorkerHasherOptions = {}): Hasher {
  return new FallbackHasher(options);
}
