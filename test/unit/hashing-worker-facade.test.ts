// WorkerHasher in Node with the real worker module (hash.worker.ts) run in-process behind a fake
// Worker: one worker reused, jobs multiplexed, abort sends 'cancel', idle termination, re-creation,
// the handoff to a fresh worker after the reader probe, and a worker failure rejecting what is pending.
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isAbortError } from '../../src/engine/errors.js';
import type { HashRequest, HashResponse } from '../../src/hashing/messages.js';
import { SAMPLE_RANGE_SIZE, SAMPLE_RANGES } from '../../src/hashing/hash-core.js';
import { WorkerHasher, createHasher } from '../../src/hashing/hasher.js';
import { PROBE_MIN_BYTES, PROBE_SEGMENT, RETIRE_AFTER_BLOCK_BYTES } from '../../src/hashing/file-readers.js';
import { changedFile } from './fakes/changed-file.js';

const sha1Of = (b: Uint8Array): string => createHash('sha1').update(b).digest('hex');

/** A Worker whose "thread" is the real worker module, loaded fresh with its own `self`. */
class InProcessWorker {
  static created: InProcessWorker[] = [];
  onmessage: ((event: MessageEvent<HashResponse>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  terminated = false;
  readonly received: HashRequest[] = [];
  readonly #ready: Promise<(event: MessageEvent<HashRequest>) => void>;

  constructor(readonly url: URL, readonly options: WorkerOptions) {
    InProcessWorker.created.push(this);
    const scope = {
      onmessage: null as ((event: MessageEvent<HashRequest>) => void) | null,
      postMessage: (data: HashResponse) => {
        if (!this.terminated) queueMicrotask(() => this.onmessage?.({ data } as MessageEvent<HashResponse>));
      },
    };
    this.#ready = (async () => {
      vi.resetModules();
      (globalThis as { self?: unknown }).self = scope;
      await import('../../src/hashing/hash.worker.js');
      return scope.onmessage!;
    })();
  }

  postMessage(data: HashRequest): void {
    this.received.push(data);
    void this.#ready.then((handler) => !this.terminated && handler({ data } as MessageEvent<HashRequest>));
  }

  terminate(): void {
    this.terminated = true;
  }
}

describe('WorkerHasher (facade over the real worker module)', () => {
  beforeEach(() => {
    InProcessWorker.created = [];
    vi.stubGlobal('Worker', InProcessWorker);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('uses the literal module-worker URL, reuses one worker, and multiplexes jobs', async () => {
    const hasher = new WorkerHasher({ idleTimeoutMs: 60_000 });
    const files = [randomBytes(10), randomBytes(5 * 1024 * 1024 + 1), randomBytes(0)];
    const shas = await Promise.all(files.map((b) => hasher.sha1(new Blob([b]))));
    expect(shas).toEqual(files.map(sha1Of));
    expect(await hasher.sliceSha1(new Blob([files[0]!]))).toBe(sha1Of(files[0]!));
    expect(InProcessWorker.created).toHaveLength(1);
    const worker = InProcessWorker.created[0]!;
    expect(worker.url.pathname.endsWith('/hash.worker.ts')).toBe(true);
    expect(worker.options).toEqual({ type: 'module' });
    expect(new Set(worker.received.map((m) => m.id)).size).toBe(4);
    hasher.terminate();
  });

  it('abort rejects at once and tells the worker to cancel that job', async () => {
    const hasher = new WorkerHasher({ idleTimeoutMs: 60_000 });
    const controller = new AbortController();
    const job = hasher.sha1(new Blob([randomBytes(32 * 1024 * 1024)]), { signal: controller.signal });
    controller.abort();
    await expect(job).rejects.toSatisfy(isAbortError);
    const worker = InProcessWorker.created[0]!;
    expect(worker.received.map((m) => m.type)).toEqual(['sha1', 'cancel']);
    expect(worker.received[1]!.id).toBe(worker.received[0]!.id);
    // The worker stays usable for the next job.
    const bytes = randomBytes(1000);
    expect(await hasher.sha1(new Blob([bytes]))).toBe(sha1Of(bytes));
    expect(InProcessWorker.created).toHaveLength(1);
    hasher.terminate();
  });

  it('terminates the worker after the idle timeout and starts a new one on demand', async () => {
    const hasher = new WorkerHasher({ idleTimeoutMs: 50 });
    await hasher.sample(new Blob([randomBytes(100)]));
    const first = InProcessWorker.created[0]!;
    expect(first.terminated).toBe(false);
    await new Promise((r) => setTimeout(r, 120));
    expect(first.terminated).toBe(true);
    const bytes = randomBytes(100);
    expect(await hasher.sha1(new Blob([bytes]))).toBe(sha1Of(bytes));
    expect(InProcessWorker.created).toHaveLength(2);
    hasher.terminate();
  });

  it('a worker failure rejects every pending job; the next job gets a new worker', async () => {
    const hasher = new WorkerHasher({ idleTimeoutMs: 60_000 });
    let answered!: () => void;
    const firstProgress = new Promise<void>((resolve) => (answered = resolve));
    const a = hasher.sha1(new Blob([randomBytes(8 * 1024 * 1024)]), { onProgress: () => answered() });
    const b = hasher.sample(new Blob([randomBytes(10)]));
    const worker = InProcessWorker.created[0]!;
    // A crash of a worker that has answered already: not "unavailable", worth a retry.
    await firstProgress;
    worker.onerror?.({ message: 'boom', preventDefault() {} } as ErrorEvent);
    await expect(a).rejects.toMatchObject({ kind: 'file', code: 'hash-failed', action: 'retry' });
    await expect(b).rejects.toMatchObject({ kind: 'file', code: 'hash-failed' });
    expect(worker.terminated).toBe(true);
    const bytes = randomBytes(10);
    expect(await hasher.sha1(new Blob([bytes]))).toBe(sha1Of(bytes));
    expect(InProcessWorker.created).toHaveLength(2);
    hasher.terminate();
  });

  it('after the reader probe of a big file the job goes on in a fresh worker, the old one (and its garbage) ends; the next big file in that worker skips the probe', async () => {
    const hasher = new WorkerHasher({ idleTimeoutMs: 60_000 });
    const bytes = randomBytes(PROBE_MIN_BYTES + 3);
    const progress: number[] = [];
    expect(await hasher.sha1(new Blob([bytes]), { onProgress: (n) => progress.push(n) })).toBe(sha1Of(bytes));
    expect(InProcessWorker.created).toHaveLength(2);
    const [prober, next] = InProcessWorker.created as [InProcessWorker, InProcessWorker];
    expect(prober.terminated).toBe(true);
    const resumed = next.received[0] as Extract<HashRequest, { type: 'sha1' }>;
    expect(resumed.id).toBe(prober.received[0]!.id);
    const reader = resumed.tuning?.reader;
    expect(reader === 'stream' || reader === 'blocks').toBe(true);
    // Stream, blocks, stream, and a second block segment only where the first beat the stream
    // (secondBlocksSegment): blocks win only after both.
    expect(reader === 'blocks' ? [4 * PROBE_SEGMENT] : [3 * PROBE_SEGMENT, 4 * PROBE_SEGMENT]).toContain(resumed.from?.offset);
    // Progress goes on from where the probe stopped, never back.
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(bytes.length);
    // The next big file is read with the verdict: no probe, no handoff. In the same (new) worker,
    // unless that one read the rest in blocks and so ended once idle (retire): then in a third.
    const other = randomBytes(PROBE_MIN_BYTES + 5);
    expect(await hasher.sha1(new Blob([other]))).toBe(sha1Of(other));
    expect(next.terminated).toBe(reader === 'blocks');
    expect(InProcessWorker.created).toHaveLength(reader === 'blocks' ? 3 : 2);
    const last = InProcessWorker.created.at(-1)!;
    expect((last.received.at(-1) as Extract<HashRequest, { type: 'sha1' }>).tuning?.reader).toBe(reader);
    hasher.terminate();
  }, 60_000);

  it('a worker that has read RETIRE_AFTER_BLOCK_BYTES in blocks ends as soon as it has no job (its garbage with it); one that read less idles on', async () => {
    const hasher = new WorkerHasher({ idleTimeoutMs: 60_000, tuning: { reader: 'blocks' } });
    const small = randomBytes(8 * 1024 * 1024 + 1);
    expect(await hasher.sha1(new Blob([small]))).toBe(sha1Of(small));
    expect(InProcessWorker.created).toHaveLength(1);
    expect(InProcessWorker.created[0]!.terminated).toBe(false);
    const big = randomBytes(RETIRE_AFTER_BLOCK_BYTES);
    expect(await hasher.sha1(new Blob([big]))).toBe(sha1Of(big));
    expect(InProcessWorker.created).toHaveLength(1);
    expect(InProcessWorker.created[0]!.terminated).toBe(true);
    // The next job starts a fresh worker, counting from 0.
    expect(await hasher.sha1(new Blob([small]))).toBe(sha1Of(small));
    expect(InProcessWorker.created).toHaveLength(2);
    expect(InProcessWorker.created[1]!.terminated).toBe(false);
    hasher.terminate();
  }, 60_000);

  it('checkpoints reach the caller and do not detach the caller’s own checkpoint', async () => {
    const hasher = new WorkerHasher({ idleTimeoutMs: 60_000, tuning: { blockSize: 1 << 20, checkpointEvery: 2 << 20 } });
    const bytes = randomBytes(5 * 1024 * 1024);
    const checkpoints: Array<{ offset: number; state: Uint8Array }> = [];
    expect(await hasher.sha1(new Blob([bytes]), { onCheckpoint: (c) => checkpoints.push(c) })).toBe(sha1Of(bytes));
    expect(checkpoints.map((c) => c.offset)).toEqual([2 << 20, 4 << 20]);
    const from = checkpoints[1]!;
    const progress: number[] = [];
    expect(await hasher.sha1(new Blob([bytes]), { from, onProgress: (n) => progress.push(n) })).toBe(sha1Of(bytes));
    expect(progress[0]).toBe(4 << 20);
    expect(from.state.byteLength).toBeGreaterThan(0);
    hasher.terminate();
  });

  it('an error before the worker ever answered means it could not start: hashing-unavailable', async () => {
    const hasher = new WorkerHasher({ idleTimeoutMs: 60_000 });
    const job = hasher.sample(new Blob([randomBytes(10)]));
    InProcessWorker.created[0]!.onerror?.({ message: 'blocked', preventDefault() {} } as ErrorEvent);
    await expect(job).rejects.toMatchObject({ kind: 'hashing-unavailable', code: 'hashing-unavailable' });
  });

  it('a file deleted or changed on disk (as Firefox reads it) fails every job as an unreadable file, not an abort', async () => {
    const hasher = new WorkerHasher({ idleTimeoutMs: 60_000 });
    const unreadable = { kind: 'file', code: 'file-unreadable', action: 'fatal' };
    const deleted = changedFile(3 * 1024 * 1024, 'deleted');
    await expect(hasher.sha1(deleted)).rejects.toMatchObject(unreadable);
    await expect(hasher.sample(deleted)).rejects.toMatchObject(unreadable);
    await expect(hasher.sliceSha1(deleted)).rejects.toMatchObject(unreadable);
    await expect(hasher.sha1(changedFile(1024 * 1024, randomBytes(1000)))).rejects.toMatchObject(unreadable);
    hasher.terminate();
  });

  it('a small file costs one job: its sample job also gives the whole sha, which sha1() takes once', async () => {
    const hasher = new WorkerHasher({ idleTimeoutMs: 60_000 });
    const small = randomBytes(64 * 1024);
    const file = new Blob([small]);
    const sample = await hasher.sample(file);
    // The fingerprint is unchanged (hash-core's definition: the prefix and size, then the bytes).
    expect(sample).toBe(createHash('sha1').update(`vod-sample-v1:${small.length}\n`).update(small).digest('hex'));
    expect(await hasher.sha1(file)).toBe(sha1Of(small));
    const worker = InProcessWorker.created[0]!;
    expect(worker.received.map((m) => m.type)).toEqual(['sample']);
    // Taken once: a second hash (a re-hash after the server refused the sha) reads the file again.
    expect(await hasher.sha1(file)).toBe(sha1Of(small));
    expect(worker.received.map((m) => m.type)).toEqual(['sample', 'sha1']);
    // A file the sample does not read whole is hashed by a job of its own.
    const big = randomBytes(SAMPLE_RANGES * SAMPLE_RANGE_SIZE + 1);
    const bigFile = new Blob([big]);
    await hasher.sample(bigFile);
    expect(await hasher.sha1(bigFile)).toBe(sha1Of(big));
    expect(worker.received.map((m) => m.type)).toEqual(['sample', 'sha1', 'sample', 'sha1']);
    hasher.terminate();
  });

  it('createHasher hashes in the worker where it works', async () => {
    const hasher = createHasher();
    const bytes = randomBytes(1000);
    expect(await hasher.sha1(new Blob([bytes]))).toBe(sha1Of(bytes));
    expect(InProcessWorker.created).toHaveLength(1);
  });
});

describe('createHasher where the worker cannot run', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('a Worker constructor that throws (CSP): every job runs on the main thread, the worker is not tried again', async () => {
    let constructed = 0;
    vi.stubGlobal(
      'Worker',
      class {
        constructor() {
          constructed++;
          throw new DOMException("Refused by worker-src 'none'", 'SecurityError');
        }
      },
    );
    const hasher = createHasher();
    const bytes = randomBytes(3 * 1024 * 1024 + 7);
    expect(await hasher.sample(new Blob([bytes]))).toMatch(/^[0-9a-f]{40}$/);
    expect(await hasher.sha1(new Blob([bytes]))).toBe(sha1Of(bytes));
    expect(await hasher.sliceSha1(new Blob([bytes.subarray(0, 10)]))).toBe(sha1Of(bytes.subarray(0, 10)));
    expect(constructed).toBe(1);
  });

  it('a worker that fails to load (error event before any answer) hands its job to the main thread', async () => {
    class UnloadableWorker {
      onerror: ((event: ErrorEvent) => void) | null = null;
      onmessage = null;
      onmessageerror = null;
      postMessage(): void {
        setTimeout(() => this.onerror?.({ message: '', preventDefault() {} } as ErrorEvent), 1);
      }
      terminate(): void {}
    }
    vi.stubGlobal('Worker', UnloadableWorker);
    const bytes = randomBytes(100_000);
    expect(await createHasher().sha1(new Blob([bytes]))).toBe(sha1Of(bytes));
  });

  it('WebAssembly refused in the worker (CompileError) hands the job to the main thread', async () => {
    class NoWasmWorker {
      onerror = null;
      onmessage: ((event: MessageEvent<HashResponse>) => void) | null = null;
      onmessageerror = null;
      postMessage(request: HashRequest): void {
        const data: HashResponse = { type: 'error', id: request.id, name: 'CompileError', message: 'WebAssembly.compile(): Refused to compile' };
        // Each job answers a little later than the one before, as a busy worker would.
        setTimeout(() => this.onmessage?.({ data } as MessageEvent<HashResponse>), request.id * 5);
      }
      terminate(): void {}
    }
    vi.stubGlobal('Worker', NoWasmWorker);
    const files = [randomBytes(1000), randomBytes(2000), randomBytes(3000)];
    // Jobs in flight together: the first refusal must not cut the others short (no abort, no retry).
    const hasher = createHasher();
    expect(await Promise.all(files.map((b) => hasher.sha1(new Blob([b]))))).toEqual(files.map(sha1Of));
  });
});
