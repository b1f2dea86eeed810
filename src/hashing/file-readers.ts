// How the hashing loop gets a file's bytes, in order: `blob.stream()` with a BYOB reader into one
// reused buffer, or `blob.slice().arrayBuffer()` blocks with read-ahead, and which of the two this
// engine is fastest with, measured on the file itself. Type-checks under the DOM and WebWorker libs.

const MiB = 1024 * 1024;

/**
 * Firefox's File is no snapshot: it reads the bytes on disk now, without an error, and keeps the old
 * size. A file that shrank reads short; one that grew reads long through the File itself (a slice of
 * it stops at the old size). Either is a file changed since it was chosen, as Chromium's NotReadableError.
 */
export function changedOnDisk(detail: string): DOMException {
  return new DOMException(`${detail}: the file changed on disk after it was chosen`, 'NotReadableError');
}

export type ReaderKind = 'stream' | 'blocks';
/** One segment the probe read, and its time per MiB: what the verdict was made of (the bench logs it). */
export interface ProbeSegment {
  reader: ReaderKind;
  msPerMiB: number;
}
/** Hashes the next bytes of the file; the caller's position moves on by their length. */
export type Consume = (bytes: Uint8Array) => Promise<void>;

/**
 * Each reader reads PROBE_SEGMENT bytes twice, alternately (stream, blocks, stream, blocks), on the
 * file being hashed (nothing is read twice: the probe's bytes are hashed like the rest); the lower
 * time per byte wins, blocks only by BLOCKS_MARGIN. Blocks that already lost their first segment to
 * the stream's best get no second (secondBlocksSegment): its reads are garbage, for a noise flip.
 */
export const PROBE_SEGMENT = 16 * MiB;
/**
 * A file with fewer bytes left is read with the verdict known so far (or the stream where it works).
 * At least the probe's four segments.
 */
export const PROBE_MIN_BYTES = 128 * MiB;

/**
 * The reader measured fastest here, kept for the life of the worker so that a queue of files probes
 * once. Which one wins differs by engine (bench/README.md) and is never guessed from the user agent.
 */
export interface ReaderChoice {
  verdict?: ReaderKind;
  /** PROBE_SEGMENT; minBytes must be at least four of them. */
  readonly segmentBytes: number;
  readonly minBytes: number;
}

/** The choice shared by every hash in this worker (or page, for the main-thread fallback). */
export const sharedReaderChoice: ReaderChoice = { segmentBytes: PROBE_SEGMENT, minBytes: PROBE_MIN_BYTES };

export interface ReadOptions {
  /** Forces a reader; undefined: the measured choice. */
  reader?: ReaderKind;
  choice: ReaderChoice;
  bufferSize: number;
  blockSize: number;
  readAhead: number;
  /**
   * Called once the probe has measured both readers (its verdict is in `choice`), before the rest is
   * read, with the segments it read in order; it may throw to stop the read there (hash-core's
   * `onProbed`: the worker hands the job over).
   */
  afterProbe?(segments: ProbeSegment[]): void;
}

/**
 * How much faster block reads must be than the stream to be chosen. Block reads cost memory the
 * stream does not: every block is a fresh ArrayBuffer that only a GC frees, and V8 starts one for
 * such memory only after some 64 MiB of it, so a worker hashing in blocks holds 60-130 MiB of
 * garbage in Chromium (the stream reuses one buffer). Where the engine's block reads are truly
 * faster they win by 1.3x (Firefox, WebKit's lack of BYOB aside); in Chromium the stream is 1.5x
 * faster, and a probe under load chose blocks now and then by noise (bench/README.md, "Memory at
 * 256 MiB"). A near tie goes to the stream.
 */
export const BLOCKS_MARGIN = 1.15;

/**
 * Whether the probe reads its second block segment, after stream, blocks, stream: only when the first
 * block segment was faster than the stream's best. Every block read is garbage until a GC
 * (BLOCKS_MARGIN) that the worker holds until the handoff ends it, so the second segment is the
 * probe's peak: both segments' blocks at once, PROBE_SEGMENT more in Chromium's renderer for a
 * fraction of a second, and that moment was the peak of a quiet 1 GiB run (74.4 MiB against the 64
 * MiB target; bench/README.md, "2026-12-02"). Blocks that already lost to the stream would have to
 * beat their own first time by more than BLOCKS_MARGIN to win: a noise flip, which this rule gives
 * no second chance (a near tie goes to the stream, as in fasterReader).
 */
export function secondBlocksSegment(streamMsPerByte: number, firstBlocksMsPerByte: number): boolean {
  return firstBlocksMsPerByte < streamMsPerByte;
}

/** The probe's verdict from each reader's best time per byte. */
export function fasterReader(streamMsPerByte: number, blocksMsPerByte: number): ReaderKind {
  return blocksMsPerByte * BLOCKS_MARGIN < streamMsPerByte ? 'blocks' : 'stream';
}

/**
 * Reads `file` from `at()` to its end into `consume`. A stream that cannot be opened or read (no BYOB
 * reader; Safari's `stream()` of a file over 4 GiB throws NotReadableError; Chromium's "network
 * error") is cancelled and the file read in blocks from the same byte, which either succeeds or fails
 * with the specific error.
 */
export async function readFile(file: Blob, at: () => number, consume: Consume, options: ReadOptions): Promise<void> {
  const { choice } = options;
  // A file that fits in one block is one read: nothing for a stream to gain, and Chromium's BYOB
  // stream of a small file in a worker now and then never answers (about 1 in 500 files of 64 KiB,
  // bench "many files"; issue 14), which hung that file's upload in 'hashing'.
  let kind = options.reader ?? (file.size - at() <= options.blockSize ? 'blocks' : choice.verdict);
  if (!kind && file.size - at() >= choice.minBytes) {
    // The probe: stream, blocks, stream, blocks (the last per secondBlocksSegment); the best time per byte of each.
    const msPerByte = [Infinity, Infinity];
    const segments: ProbeSegment[] = [];
    for (let round = 0; round < 4 && !kind; round++) {
      const blocks = round % 2;
      if (round === 3 && !secondBlocksSegment(msPerByte[0]!, msPerByte[1]!)) break;
      const from = at();
      const started = performance.now();
      if (blocks) await readBlocks(file, from, from + choice.segmentBytes, consume, options);
      // No stream for this file (the verdict is remembered only where the engine has no BYOB reader).
      else if (!(await streamFrom(file, from, choice.segmentBytes, consume, options))) kind = 'blocks';
      const ms = (performance.now() - started) / (at() - from);
      msPerByte[blocks] = Math.min(msPerByte[blocks]!, ms);
      segments.push({ reader: blocks ? 'blocks' : 'stream', msPerMiB: ms * MiB });
    }
    if (!kind) {
      kind = choice.verdict = fasterReader(msPerByte[0]!, msPerByte[1]!);
      options.afterProbe?.(segments);
    }
  }
  if (kind !== 'blocks') await streamFrom(file, at(), Infinity, consume, options);
  if (at() < file.size) await readBlocks(file, at(), file.size, consume, options);
}

/**
 * The streams being read, held from a root. While a read waits for the file, nothing but the stream
 * itself refers to it (stream → pending read → this loop's frame → reader → stream): Chromium then
 * garbage-collects the lot, the read never settles and the job silently disappears (issue 12: the
 * job after an abort hung, because the abort's garbage brought a GC during the next job's read).
 * WebKit had the same bug (WebKit PR 54097). Block reads (`arrayBuffer()`) are kept alive by the engine.
 */
const streamsBeingRead = new Set<ReadableStream<Uint8Array>>();

/**
 * Streams at least `limit` bytes (or to the end) from `start` into `consume` with a BYOB reader into
 * one reused buffer, then cancels the stream. False: no stream could be had, or a read rejected (after
 * the bytes consumed so far). `consume`'s own errors (aborts) go up.
 */
async function streamFrom(file: Blob, start: number, limit: number, consume: Consume, options: ReadOptions): Promise<boolean> {
  let stream: ReadableStream<Uint8Array> | undefined;
  let reader: ReadableStreamBYOBReader;
  try {
    // From byte 0 the File itself: where it is no snapshot, only it reads past a grown file's old size.
    // Safari, over 4 GiB: NotReadableError.
    stream = (start === 0 ? file : file.slice(start)).stream();
    reader = stream.getReader({ mode: 'byob' });
  } catch {
    if (stream) {
      // No byte streams (WebKit): an opened stream that is never read slows the block reads after it.
      stream.cancel().catch(() => undefined);
      options.choice.verdict = 'blocks';
    }
    return false;
  }
  let buffer = new ArrayBuffer(options.bufferSize);
  let read = 0;
  streamsBeingRead.add(stream);
  try {
    while (read < limit) {
      const result = await reader.read(new Uint8Array(buffer)).catch(() => undefined);
      if (!result) return false;
      if (result.done) break;
      read += result.value.byteLength;
      await consume(result.value);
      buffer = result.value.buffer; // the same memory, handed back by the stream
    }
    return true;
  } finally {
    // Stopped before the end (a probe segment, abort, failure): release the file. After the end a no-op.
    reader.cancel().catch(() => undefined);
    streamsBeingRead.delete(stream);
  }
}

/**
 * Bytes read in blocks by this worker (or page) so far: ArrayBuffers that only a GC frees
 * (BLOCKS_MARGIN). The worker asks to be ended once idle when this is large (hash.worker.ts, retire).
 */
export const blockReads = { bytes: 0 };

/**
 * Once a worker has read this much in blocks, each 'done' asks the page to end it as soon as it has
 * no job rather than after the 10 s idle timeout: the blocks' ArrayBuffers are garbage that only a GC
 * frees, and an idle worker runs none. A worker that hashed a 256 MiB file in blocks held 85-89 MiB
 * from the hash's end until it idled out (bench/README.md, "Memory at 256 MiB"). Each worker counts
 * from 0, so a queue of small block-read files restarts the worker at most once per this many bytes.
 */
export const RETIRE_AFTER_BLOCK_BYTES = 64 * MiB;

/** `blob.slice().arrayBuffer()` in blocks over [offset, end), `readAhead` reads in flight while one is hashed. */
async function readBlocks(file: Blob, offset: number, end: number, consume: Consume, options: ReadOptions): Promise<void> {
  const reads: Array<{ read: Promise<ArrayBuffer>; expected: number }> = [];
  const fillReadAhead = (): void => {
    while (reads.length <= options.readAhead && offset < end) {
      const from = offset;
      offset = Math.min(offset + options.blockSize, end);
      // The whole file in one read: the File itself, not a slice of it, so that where a File is no
      // snapshot (Firefox) a file that grew since it was chosen reads long and is caught below.
      const read = (from === 0 && offset === file.size ? file : file.slice(from, offset)).arrayBuffer();
      // An abandoned read (abort, error in an earlier block) must not surface as an unhandled rejection.
      read.catch(() => undefined);
      reads.push({ read, expected: offset - from });
    }
  };
  fillReadAhead();
  while (reads.length) {
    const { read, expected } = reads.shift()!;
    const buffer = await read;
    blockReads.bytes += buffer.byteLength;
    if (buffer.byteLength !== expected) throw changedOnDisk(`a block of ${expected} bytes read as ${buffer.byteLength}`);
    fillReadAhead(); // start the next read before hashing this block
    await consume(new Uint8Array(buffer));
  }
}
