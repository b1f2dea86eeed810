// The hashing loops shared by the worker and the main-thread fallback: whole-file SHA-1 read in blocks
// with read-ahead and checkpoints, the sampled fingerprint, and one blob's SHA-1.
// Only Blob, timers and hash-wasm: type-checks under both the DOM and the WebWorker libs.

import { createSHA1 } from 'hash-wasm';

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * How the file is read, chosen by measurement (bench/README.md; Chromium 156, 2 cores, 1 GiB file from
 * the page cache, CPU time per process from /proc):
 * - `stream` (the default where the browser has it): `blob.stream()` with a BYOB reader that reads into
 *   one reused STREAM_BUFFER_SIZE buffer. ~0.8-1.0x the in-memory kernel speed (280-345 MiB/s against
 *   a kernel of 340-400 in the same runs).
 * - `blocks` (the fallback): `blob.slice().arrayBuffer()` in BLOCK_SIZE blocks with READ_AHEAD reads in
 *   flight. ~0.5-0.6x the kernel (175-230 MiB/s). Every block is a fresh ArrayBuffer, and the kernel
 *   has to zero and map its pages: reading 1 GiB this way cost the renderer 1.2 s of system time,
 *   against 0.35 s with the reused BYOB buffer, and that time is spent on the hashing thread.
 * A stream read that fails (Chromium says only "TypeError: network error", even for a file changed on
 * disk) is not trusted with the diagnosis: hashing goes on from the same byte in `blocks` mode, which
 * either succeeds or fails with the specific NotReadableError.
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
  /** `stream` (BYOB, the default where supported) or `blocks`; see BLOCK_SIZE. */
  reader?: 'stream' | 'blocks';
  /** The block size in `blocks` mode, the buffer size in `stream` mode. */
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
 * Firefox's File is no snapshot: it reads the bytes on disk now, without an error, and keeps the old
 * size. A file that shrank reads short; one that grew reads long through the File itself (a slice of
 * it stops at the old size). Either is a file changed since it was chosen, as Chromium's NotReadableError.
 */
function changedOnDisk(detail: string): DOMException {
  return new DOMException(`${detail}: the file changed on disk after it was chosen`, 'NotReadableError');
}

/**
 * SHA-1 (40 lowercase hex) of `file` from `from.offset` (or 0). At most `readAhead + 1` blocks of the
 * file are held at a time. An invalid checkpoint (past the end, or a state hash-wasm refuses) is
 * ignored and the file is hashed from byte 0: a wrong sha would cost far more than re-hashing.
 */
export async function hashBlob(file: Blob, options: HashLoopOptions = {}): Promise<string> {
  const { signal } = options;
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

  /** Hashes the next bytes of the file (in order), with checkpoints, progress and the fallback's yield. */
  const consume = async (bytes: Uint8Array): Promise<void> => {
    if (signal?.aborted) throw abortError(signal);
    if (offset + bytes.byteLength > size) throw changedOnDisk(`more than its ${size} bytes read`);
    sha1.update(bytes);
    const before = offset;
    offset += bytes.byteLength;
    if (
      options.onCheckpoint &&
      offset < size &&
      Math.floor(offset / checkpointEvery) > Math.floor(before / checkpointEvery)
    ) {
      options.onCheckpoint(offset, sha1.save());
    }
    progress.report(offset);
    if (options.betweenBlocks) await options.betweenBlocks();
    if (signal?.aborted) throw abortError(signal);
  };

  if (options.reader !== 'blocks' && offset < size) {
    // From byte 0 the File itself: where it is no snapshot, only it reads past a grown file's old size.
    const reader = openByobReader(offset === 0 ? file : file.slice(offset));
    if (reader) {
      try {
        await readStream(reader, options.blockSize ?? STREAM_BUFFER_SIZE, consume);
      } catch (error) {
        if (signal?.aborted) throw abortError(signal);
        // Only a read failed (consume's own errors are aborts): `blocks` goes on from `offset`.
        if (!(error instanceof ReadFailure)) throw error;
      }
    }
  }
  if (offset < size) {
    await readBlocks(file, offset, options.blockSize ?? BLOCK_SIZE, Math.max(0, options.readAhead ?? READ_AHEAD), consume);
  }
  if (offset !== size) throw changedOnDisk(`${offset} of its ${size} bytes read`);
  const hex = sha1.digest('hex');
  progress.final(offset);
  return hex;
}

/** A stream read rejected: the caller retries the same bytes in `blocks` mode. */
class ReadFailure extends Error {}

function openByobReader(blob: Blob): ReadableStreamBYOBReader | undefined {
  try {
    return blob.stream().getReader({ mode: 'byob' });
  } catch {
    return undefined; // no byte streams here (an older engine): read in blocks
  }
}

/** Reads the stream to its end into one reused buffer, handing each filled part to `consume`. */
async function readStream(
  reader: ReadableStreamBYOBReader,
  bufferSize: number,
  consume: (bytes: Uint8Array) => Promise<void>,
): Promise<void> {
  let buffer = new ArrayBuffer(bufferSize);
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array<ArrayBuffer>>;
      try {
        result = await reader.read(new Uint8Array(buffer));
      } catch (error) {
        throw new ReadFailure(error instanceof Error ? error.message : String(error));
      }
      if (result.done) return;
      await consume(result.value);
      buffer = result.value.buffer; // the same memory, handed back by the stream
    }
  } finally {
    // Stopped early (abort, a failure): release the file. After the end this is a no-op.
    reader.cancel().catch(() => undefined);
  }
}

/** `blob.slice().arrayBuffer()` in blocks from `offset`, `readAhead` reads in flight while one is hashed. */
async function readBlocks(
  file: Blob,
  offset: number,
  blockSize: number,
  readAhead: number,
  consume: (bytes: Uint8Array) => Promise<void>,
): Promise<void> {
  const reads: Array<{ read: Promise<ArrayBuffer>; expected: number }> = [];
  let nextRead = offset;
  const fillReadAhead = (): void => {
    while (reads.length <= readAhead && nextRead < file.size) {
      const end = Math.min(nextRead + blockSize, file.size);
      const read = file.slice(nextRead, end).arrayBuffer();
      // An abandoned read (abort, error in an earlier block) must not surface as an unhandled rejection.
      read.catch(() => undefined);
      reads.push({ read, expected: end - nextRead });
      nextRead = end;
    }
  };
  fillReadAhead();
  while (reads.length > 0) {
    const { read, expected } = reads.shift()!;
    const buffer = await read;
    if (buffer.byteLength !== expected) throw changedOnDisk(`a block of ${expected} bytes read as ${buffer.byteLength}`);
    fillReadAhead(); // start the next read before hashing this block
    await consume(new Uint8Array(buffer));
  }
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
  const ranges = sampleRanges(file.size);
  const parts = await Promise.all(ranges.map(([a, b]) => file.slice(a, b).arrayBuffer()));
  if (signal?.aborted) throw abortError(signal);
  for (const [i, part] of parts.entries()) {
    const [start, end] = ranges[i]!;
    if (part.byteLength !== end - start) throw changedOnDisk(`a sample of ${end - start} bytes read as ${part.byteLength}`);
    sha1.update(new Uint8Array(part));
  }
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
