// The hashing loops shared by the worker and the main-thread fallback: whole-file SHA-1 with
// checkpoints and progress (the bytes come from file-readers.ts), the sampled fingerprint, one blob's SHA-1.
// Only Blob, timers and WebAssembly (sha1.ts): type-checks under both the DOM and the WebWorker libs.

import { changedOnDisk, readFile, sharedReaderChoice, type ProbeSegment, type ReaderChoice, type ReaderKind } from './file-readers.js';
import { createSha1 } from './sha1.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * How the file is read (file-readers.ts): `stream`, `blob.stream()` with a BYOB reader into one reused
 * STREAM_BUFFER_SIZE buffer, or `blocks`, `blob.slice().arrayBuffer()` in BLOCK_SIZE blocks with
 * READ_AHEAD reads in flight (every block a fresh ArrayBuffer whose pages the OS zeroes and maps on
 * the hashing thread). Which is faster depends on the engine (bench/README.md): it is measured on the
 * first bytes of the first big file, and `blocks` is used where there is no BYOB reader.
 */
export const BLOCK_SIZE = 4 * MiB;
/** Blocks kept in flight (being read) while one block is hashed, in `blocks` mode. */
export const READ_AHEAD = 3;
/** The one buffer of `stream` mode (Chromium fills ~1.8 MB per read from its data pipe). */
export const STREAM_BUFFER_SIZE = 2 * MiB;
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
  /** `stream` (BYOB) or `blocks`, forced; by default the one measured fastest here (see BLOCK_SIZE). */
  reader?: ReaderKind;
  /** Where the measured choice is kept: the worker's shared one by default. */
  readerChoice?: ReaderChoice;
  /** The block size in `blocks` mode, the buffer size in `stream` mode. */
  blockSize?: number;
  readAhead?: number;
  checkpointEvery?: number;
  progressIntervalMs?: number;
  onProgress?(bytes: number): void;
  /** `state` is a fresh Uint8Array the callee may keep or transfer. */
  onCheckpoint?(offset: number, state: Uint8Array): void;
  /**
   * Called once, when the reader probe (file-readers.ts) has measured both readers on this file, with
   * the offset, a fresh hash state there, the verdict and the segments it was made of; it may throw to
   * stop hashing there (the worker does, to hand the rest to a fresh worker: hash.worker.ts).
   */
  onProbed?(offset: number, state: Uint8Array, reader: ReaderKind, segments: ProbeSegment[]): void;
  /** Called between blocks; the main-thread fallback yields to the event loop here. */
  betweenBlocks?(): Promise<void>;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('Aborted', 'AbortError');
}

/**
 * SHA-1 (40 lowercase hex) of `file` from `from.offset` (or 0). At most `readAhead + 1` blocks of the
 * file are held at a time. An invalid checkpoint (past the end, or a state the kernel refuses) is
 * ignored and the file is hashed from byte 0: a wrong sha would cost far more than re-hashing.
 */
export async function hashBlob(file: Blob, options: HashLoopOptions = {}): Promise<string> {
  const { signal } = options;
  const checkpointEvery = options.checkpointEvery ?? CHECKPOINT_EVERY;
  const size = file.size;

  const sha1 = await createSha1();
  let offset = 0;
  if (options.from && options.from.offset > 0 && options.from.offset <= size) {
    try {
      sha1.load(options.from.state);
      offset = options.from.offset;
    } catch {
      // Refused before anything was written: the hash starts from byte 0.
    }
  }
  if (signal?.aborted) throw abortError(signal);

  const progress = throttle(options.onProgress, options.progressIntervalMs ?? PROGRESS_INTERVAL_MS);
  progress.report(offset);

  /** Hashes the next bytes of the file (in order), with checkpoints, progress and the fallback's yield. */
  const consume = async (bytes: Uint8Array): Promise<void> => {
    if (signal?.aborted) throw abortError(signal);
    const start = offset;
    const end = start + bytes.byteLength;
    if (end > size) throw changedOnDisk(`more than its ${size} bytes read`);
    // A checkpoint at each multiple of checkpointEvery before the end, whatever the reads' sizes
    // (Firefox's BYOB reads are not block-aligned): the bytes are hashed in parts around a boundary.
    let hashed = start;
    if (options.onCheckpoint) {
      for (let at = (Math.floor(start / checkpointEvery) + 1) * checkpointEvery; at <= end && at < size; at += checkpointEvery) {
        sha1.update(bytes.subarray(hashed - start, at - start));
        hashed = at;
        options.onCheckpoint(at, sha1.save());
      }
    }
    sha1.update(hashed === start ? bytes : bytes.subarray(hashed - start));
    offset = end;
    progress.report(offset);
    if (options.betweenBlocks) await options.betweenBlocks();
    if (signal?.aborted) throw abortError(signal);
  };

  const choice = options.readerChoice ?? sharedReaderChoice;
  const { onProbed } = options;
  await readFile(file, () => offset, consume, {
    reader: options.reader,
    choice,
    afterProbe: onProbed && ((segments) => onProbed(offset, sha1.save(), choice.verdict!, segments)),
    bufferSize: options.blockSize ?? STREAM_BUFFER_SIZE,
    blockSize: options.blockSize ?? BLOCK_SIZE,
    readAhead: Math.max(0, options.readAhead ?? READ_AHEAD),
  });
  if (offset !== size) throw changedOnDisk(`${offset} of its ${size} bytes read`);
  const hex = sha1.digest();
  progress.final(offset);
  return hex;
}

/**
 * Where the sampled fingerprint reads: SAMPLE_RANGES ranges of SAMPLE_RANGE_SIZE bytes, evenly spread
 * from the start to the end (start, quarters, middle, end). A file smaller than all ranges together is
 * read whole as one range.
 */
export function sampleRanges(size: number): Array<[start: number, end: number]> {
  if (isReadWhole(size)) return [[0, size]];
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
  return (await readSample(file, signal, false)).sample;
}

/**
 * The sampled fingerprint and, for a file the sample reads whole (`isReadWhole`), its whole-file
 * SHA-1 from the same read: a small file then costs the hasher one job, one message and one read
 * instead of two (bench/README.md, "Many files").
 */
export function sampleAndSha1(file: Blob, signal?: AbortSignal): Promise<{ sample: string; sha?: string }> {
  return readSample(file, signal, isReadWhole(file.size));
}

/** Whether sampleRanges(size) is the whole file. */
export function isReadWhole(size: number): boolean {
  return size <= SAMPLE_RANGES * SAMPLE_RANGE_SIZE;
}

async function readSample(file: Blob, signal: AbortSignal | undefined, withSha: boolean): Promise<{ sample: string; sha?: string }> {
  const sha1 = await createSha1();
  const whole = withSha ? await createSha1() : undefined;
  sha1.update(`${SAMPLE_PREFIX}${file.size}\n`);
  const ranges = sampleRanges(file.size);
  const parts = await Promise.all(ranges.map(([a, b]) => file.slice(a, b).arrayBuffer()));
  if (signal?.aborted) throw abortError(signal);
  for (const [i, part] of parts.entries()) {
    const [start, end] = ranges[i]!;
    if (part.byteLength !== end - start) throw changedOnDisk(`a sample of ${end - start} bytes read as ${part.byteLength}`);
    const bytes = new Uint8Array(part);
    sha1.update(bytes);
    whole?.update(bytes);
  }
  return { sample: sha1.digest(), sha: whole?.digest() };
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
