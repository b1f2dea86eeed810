// Test page for test/e2e/hashing.spec.ts: exposes the hashers on `window.hashing` so the spec can
// drive them with the files chosen in #files. `?idle=<ms>` sets the worker's idle timeout.
import { createSHA1 } from 'hash-wasm';
import type { HashCheckpoint } from '../../../src/engine/types.js';
import { hashBlob } from '../../../src/hashing/hash-core.js';
import { WorkerHasher } from '../../../src/hashing/hasher.js';
import { MainThreadHasher } from '../../../src/hashing/main-thread-hasher.js';
import type { HashTuning } from '../../../src/hashing/messages.js';
import type { GcHashRequest, GcHashResult } from './hashing-gc.worker.js';

const params = new URL(location.href).searchParams;
const idleTimeoutMs = Number(params.get('idle') ?? 10_000);
const worker = new WorkerHasher({ idleTimeoutMs });
const mainThread = new MainThreadHasher();

function file(index: number): File {
  const input = document.querySelector<HTMLInputElement>('#files')!;
  const chosen = input.files?.[index];
  if (!chosen) throw new Error(`no file #${index}`);
  return chosen;
}

interface HashRun {
  sha?: string;
  error?: { name: string; kind?: string; code?: string | number; message: string };
  progress: Array<{ t: number; bytes: number }>;
  checkpoints: Array<{ offset: number; state: number[] }>;
  ms: number;
}

const describeError = (e: unknown): HashRun['error'] => {
  const err = e as { name: string; kind?: string; code?: string | number; message: string };
  return { name: err.name, kind: err.kind, code: err.code, message: err.message };
};

let current: AbortController | undefined;
let abortedAt = 0;

const api = {
  /** Whole-file SHA-1 in the worker (or on the main thread), with what a caller sees. */
  async sha1(index: number, opts: { from?: { offset: number; state: number[] }; main?: boolean } = {}): Promise<HashRun> {
    current = new AbortController();
    const run: HashRun = { progress: [], checkpoints: [], ms: 0 };
    const t0 = performance.now();
    const from: HashCheckpoint | undefined = opts.from
      ? { offset: opts.from.offset, state: new Uint8Array(opts.from.state) }
      : undefined;
    try {
      run.sha = await (opts.main ? mainThread : worker).sha1(file(index), {
        signal: current.signal,
        from,
        onProgress: (bytes) => run.progress.push({ t: performance.now() - t0, bytes }),
        onCheckpoint: (c) => run.checkpoints.push({ offset: c.offset, state: [...c.state] }),
      });
    } catch (e) {
      run.error = describeError(e);
    }
    run.ms = performance.now() - t0;
    return run;
  },
  /** Starts sha1(index) and aborts once `afterBytes` are hashed; resolves with the abort-to-reject time. */
  async abortDuring(index: number, afterBytes: number): Promise<{ rejectMs: number; error?: HashRun['error']; progressAfterAbort: number }> {
    const controller = new AbortController();
    let progressAfterAbort = 0;
    let aborted = false;
    const job = worker.sha1(file(index), {
      signal: controller.signal,
      onProgress: (bytes) => {
        if (aborted) progressAfterAbort++;
        else if (bytes >= afterBytes) {
          aborted = true;
          abortedAt = performance.now();
          controller.abort();
        }
      },
    });
    try {
      await job;
      return { rejectMs: -1, progressAfterAbort };
    } catch (e) {
      const rejectMs = performance.now() - abortedAt;
      await new Promise((r) => setTimeout(r, 500)); // would a cancelled job go on reporting?
      return { rejectMs, error: describeError(e), progressAfterAbort };
    }
  },
  /** hash-core's loop in a test worker that forces garbage collection all along (hashing-gc.worker.ts). */
  sha1UnderGc(index: number, reader?: GcHashRequest['reader']): Promise<GcHashResult> {
    const gcWorker = new Worker(new URL('./hashing-gc.worker.ts', import.meta.url), { type: 'module' });
    return new Promise<GcHashResult>((resolve, reject) => {
      gcWorker.onmessage = (event: MessageEvent<GcHashResult>) => resolve(event.data);
      gcWorker.onerror = (event) => reject(new Error(event.message));
      gcWorker.postMessage({ file: file(index), reader } satisfies GcHashRequest);
    }).finally(() => gcWorker.terminate());
  },
  sample: (index: number, main = false) => (main ? mainThread : worker).sample(file(index)),
  async sampleTimed(index: number): Promise<{ sha: string; ms: number }> {
    const t0 = performance.now();
    const sha = await worker.sample(file(index));
    return { sha, ms: performance.now() - t0 };
  },
  sliceSha1: (index: number, start: number, end: number) => worker.sliceSha1(file(index).slice(start, end)),
  bytesSha1: (bytes: number[]) => worker.sliceSha1(new Blob([new Uint8Array(bytes)])),

  // ---- measurements (MiB/s), all from the OS page cache ----
  /** hash-wasm alone on an in-memory buffer: the ceiling for any file loop. */
  async kernel(totalMiB: number, blockMiB = 4): Promise<number> {
    const block = new Uint8Array(blockMiB * 1024 * 1024);
    for (let i = 0; i < block.length; i += 65536) crypto.getRandomValues(block.subarray(i, i + 65536));
    const sha1 = await createSHA1();
    const t0 = performance.now();
    for (let done = 0; done < totalMiB; done += blockMiB) sha1.update(block);
    sha1.digest('hex');
    return totalMiB / ((performance.now() - t0) / 1000);
  },
  /** hash-core's loop in a worker with other block size / read-ahead (readAhead 0 = read, then hash). */
  async tuned(index: number, tuning: HashTuning): Promise<{ mibps: number; sha: string }> {
    const hasher = new WorkerHasher({ idleTimeoutMs: 1000, tuning });
    const f = file(index);
    const t0 = performance.now();
    const sha = await hasher.sha1(f);
    const mibps = f.size / 1048576 / ((performance.now() - t0) / 1000);
    hasher.terminate();
    return { mibps, sha };
  },
  /** The same loop on the main thread, for comparison with the worker. */
  async mainLoop(index: number, tuning: HashTuning): Promise<number> {
    const f = file(index);
    const t0 = performance.now();
    await hashBlob(f, tuning);
    return f.size / 1048576 / ((performance.now() - t0) / 1000);
  },
};

declare global {
  interface Window {
    hashing: typeof api;
  }
}
window.hashing = api;
document.body.dataset.ready = 'true';
