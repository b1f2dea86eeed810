// The hashing loops shared by the worker and the main-thread fallback: whole-file SHA-1 read in blocks
// with read-ahead and checkpoints, the sampled fingerprint, and one blob's SHA-1.
// Only Blob, timers and hash-wasm: type-checks under both the DOM and the WebWorker libs.

import { createSHA1 } from 'hash-wasm';

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * Block size and read-ahead, chosen by measurement: `VOD_HASH_BENCH=1 npx playwright test
 * test/e2e/hashing.spec.ts -g speed` (Chromium 156, 2 cores, a 512 MiB file via setInputFiles, from
 * the page cache, 3 interleaved rounds). The machine was shared with other test runs (load average
 * 13-23 on 2 cores), so absolute figures are ~5x below a quiet machine and noisy (±30 %); medians,
 * MiB/s: in-memory kernel 85; read-then-hash (4 MiB, no read-ahead) 72; 1 MiB/ra 2: 99;
 * 2 MiB/ra 2: 106; 4 MiB/ra 1: 82; 4 MiB/ra 2: 74; 4 MiB/ra 3: 128 (best, and steadiest);
 * 8 MiB/ra 2: 98. Reading the next blocks while one is hashed hides the read (IPC to the browser
 * process) behind the WASM kernel. Memory held: (READ_AHEAD + 1) x BLOCK_SIZE = 16 MiB at most.
 * Progress comes per block, so on a disk slower than ~12 MiB/s it arrives less than 3 times a second.
 */
export const BLOCK_SIZE = 4 * MiB;
/** Blocks kept in flight (being read) while one block is hashed. */
export const READ_AHEAD = 3;
/** Save the hash state this often so a reload in the middle of a 20 GB file goes on from there. */
export const CHECKPOINT_EVERY = 256 * MiB;
/** Progress is reported at most this often (and always once at the end). */
export const PROGRESS_INTERVAL_MS = 150;

/** The sampled fingerprint: this many ranges of SAMPLE_RANGE_SIZE bytes. */
export const SAMPLE_RANGES = 5;
export const SAMPLE_RANGE_SIZE = 64 * KiB;
/** Prefix of the sampled hash's input: the version of the definition below, so it can change later. */
const SAMPLE_PREFIX = 'vod-sample-v1:';

export interface HashLoopOptions {
  signal?: AbortSignal;
  from?: { offset: number; state: Uint8Array };
  blockSize?: number;
  readAhead?: number;
  checkpointEvery?: number;
  progressIntervalMs?: number;
  onProgress?(bytes: number): void;
  /** `state` is a fresh Uint8Array the callee may keep or transfer. */
  onCheckpoint?(offset: number, state: Uint8Array): void;
  /** Called between blocks; the main-thread fallback yields to the event loop here. */
  betweenBlocks?(): Promise<void>;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('Aborted', 'AbortError');
}

/**
 * SHA-1 (40 lowercase hex) of `file` from `from.offset` (or 0). At most `readAhead + 1` blocks of the
 * file are held at a time. An invalid checkpoint (past the end, or a state hash-wasm refuses) is
 * ignored and the file is hashed from byte 0: a wrong sha would cost far more than re-hashing.
 */
export async function hashBlob(file: Blob, options: HashLoopOptions = {}): Promise<string> {
  const { signal } = options;
  const blockSize = options.blockSize ?? BLOCK_SIZE;
  const readAhead = Math.max(0, options.readAhead ?? READ_AHEAD);
  const checkpointEvery = options.checkpointEvery ?? CHECKPOINT_EVERY;
  const size = file.size;

  const sha1 = await createSHA1();
  let offset = 0;
  if (options.from && options.from.offset > 0 && options.from.offset <= size) {
    try {
      sha1.load(options.from.state);
      offset = options.from.offset;
    } catch {
      sha1.init();
    }
  }
  if (signal?.aborted) throw abortError(signal);

  const progress = throttle(options.onProgress, options.progressIntervalMs ?? PROGRESS_INTERVAL_MS);
  progress.report(offset);

  const reads: Promise<ArrayBuffer>[] = [];
  let nextRead = offset;
  const fillReadAhead = (): void => {
    while (reads.length <= readAhead && nextRead < size) {
      const end = Math.min(nextRead + blockSize, size);
      const read = file.slice(nextRead, end).arrayBuffer();
      // An abandoned read (abort, error in an earlier block) must not surface as an unhandled rejection.
      read.catch(() => undefined);
      reads.push(read);
      nextRead = end;
    }
  };

  fillReadAhead();
  while (reads.length > 0) {
    const buffer = await reads.shift()!;
    if (signal?.aborted) throw abortError(signal);
    fillReadAhead(); // start the next read before hashing this block
    sha1.update(new Uint8Array(buffer));
    const before = offset;
    offset += buffer.byteLength;
    if (
      options.onCheckpoint &&
      offset < size &&
      Math.floor(offset / checkpointEvery) > Math.floor(before / checkpointEvery)
    ) {
      options.onCheckpoint(offset, sha1.save());
    }
    progress.report(offset);
    if (options.betweenBlocks) {
      await options.betweenBlocks();
      if (signal?.aborted) throw abortError(signal);
    }
  }
  const hex = sha1.digest('hex');
  progress.final(offset);
  return hex;
}

/**
 * Where the sampled fingerprint reads: SAMPLE_RANGES ranges of SAMPLE_RANGE_SIZE bytes, evenly spread
 * from the start to the end (start, quarters, middle, end). A file smaller than all ranges together is
 * read whole as one range.
 */
export function sampleRanges(size: number): Array<[start: number, end: number]> {
  if (size <= SAMPLE_RANGES * SAMPLE_RANGE_SIZE) return [[0, size]];
  const last = size - SAMPLE_RANGE_SIZE;
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < SAMPLE_RANGES; i++) {
    const start = Math.floor((last * i) / (SAMPLE_RANGES - 1));
    ranges.push([start, start + SAMPLE_RANGE_SIZE]);
  }
  return ranges;
}

/**
 * The sampled fingerprint, to recognise a re-selected file by content in milliseconds:
 * SHA-1 of the UTF-8 bytes of `vod-sample-v1:<size in decimal>\n`, followed by the bytes of each
 * range of `sampleRanges(size)` in order. It says "very likely the same file", not "the same file":
 * the whole-file SHA-1 is still what the server checks.
 */
export async function sampleBlob(file: Blob, signal?: AbortSignal): Promise<string> {
  const sha1 = await createSHA1();
  sha1.update(`${SAMPLE_PREFIX}${file.size}\n`);
  const parts = await Promise.all(sampleRanges(file.size).map(([a, b]) => file.slice(a, b).arrayBuffer()));
  if (signal?.aborted) throw abortError(signal);
  for (const part of parts) sha1.update(new Uint8Array(part));
  return sha1.digest('hex');
}

/** Reports at most every `intervalMs`; `final` always reports. */
function throttle(listener: ((bytes: number) => void) | undefined, intervalMs: number) {
  let last = -Infinity;
  return {
    report(bytes: number): void {
      if (!listener) return;
      const now = performance.now();
      if (now - last < intervalMs) return;
      last = now;
      listener(bytes);
    },
    final(bytes: number): void {
      listener?.(bytes);
    },
  };
}
