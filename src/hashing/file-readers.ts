// How the hashing loop gets a file's bytes, in order: `blob.stream()` with a BYOB reader into one
// reused buffer, or `blob.slice().arrayBuffer()` blocks with read-ahead, and which of the two this
// engine is fastest with, measured on the file itself. Type-checks under the DOM and WebWorker libs.

const MiB = 1024 * 1024;

export type ReaderKind = 'stream' | 'blocks';
/** Hashes the next bytes of the file; the caller's position moves on by their length. */
export type Consume = (bytes: Uint8Array) => Promise<void>;

/**
 * Each reader reads PROBE_SEGMENT bytes twice, alternately, on the file being hashed (nothing is
 * read twice: the probe's bytes are hashed like the rest); the lower time per byte wins.
 */
export const PROBE_SEGMENT = 16 * MiB;
/** A file with fewer bytes left is read with the verdict known so far (or the stream where it works). */
export const PROBE_MIN_BYTES = 128 * MiB;

/**
 * The reader measured fastest here, kept for the life of the worker so that a queue of files probes
 * once. Which one wins differs by engine (bench/README.md) and is never guessed from the user agent.
 */
export interface ReaderChoice {
  verdict?: ReaderKind;
  readonly segmentBytes: number;
  readonly minBytes: number;
}

export function createReaderChoice(segmentBytes = PROBE_SEGMENT, minBytes = PROBE_MIN_BYTES): ReaderChoice {
  return { segmentBytes, minBytes };
}

/** The choice shared by every hash in this worker (or page, for the main-thread fallback). */
export const sharedReaderChoice = createReaderChoice();

export interface ReadOptions {
  /** Forces a reader; undefined: the measured choice. */
  reader?: ReaderKind;
  choice: ReaderChoice;
  bufferSize: number;
  blockSize: number;
  readAhead: number;
}

/** A stream read rejected: the caller reads the same bytes in `blocks` mode. */
class ReadFailure extends Error {}

/**
 * Reads `file` from `at()` to its end into `consume`. A stream that cannot be opened or read (no BYOB
 * reader; Safari's `stream()` of a file over 4 GiB throws NotReadableError; Chromium's "network
 * error") is cancelled and the file read in blocks from the same byte, which either succeeds or fails
 * with the specific error.
 */
export async function readFile(file: Blob, at: () => number, consume: Consume, options: ReadOptions): Promise<void> {
  let kind = options.reader ?? options.choice.verdict;
  if (!kind && file.size - at() >= options.choice.minBytes) kind = await probe(file, at, consume, options);
  if (kind !== 'blocks' && at() < file.size) await streamFrom(file, at(), Infinity, consume, options);
  if (at() < file.size) await readBlocks(file, at(), file.size, options.blockSize, options.readAhead, consume);
}

/** Alternates the two readers over the first segments; answers (and remembers) the faster. */
async function probe(file: Blob, at: () => number, consume: Consume, options: ReadOptions): Promise<ReaderKind | undefined> {
  const { choice } = options;
  const msPerByte: Record<ReaderKind, number> = { stream: Infinity, blocks: Infinity };
  for (let round = 0; round < 2; round++) {
    for (const kind of ['stream', 'blocks'] as const) {
      const from = at();
      if (file.size - from < choice.segmentBytes) return undefined; // too little left to tell
      const started = performance.now();
      if (kind === 'blocks') {
        await readBlocks(file, from, from + choice.segmentBytes, options.blockSize, options.readAhead, consume);
      } else {
        const outcome = await streamFrom(file, from, choice.segmentBytes, consume, options);
        // No stream for this file (its verdict is remembered only when the engine has no BYOB reader).
        if (outcome !== 'read') return 'blocks';
      }
      msPerByte[kind] = Math.min(msPerByte[kind], (performance.now() - started) / (at() - from));
    }
  }
  choice.verdict = msPerByte.stream <= msPerByte.blocks ? 'stream' : 'blocks';
  return choice.verdict;
}

/**
 * Streams at least `limit` bytes (or to the end) from `start` into `consume`, then cancels the stream.
 * 'unopened': no stream could be had; 'failed': a read rejected after `at()`'s bytes.
 */
async function streamFrom(
  file: Blob,
  start: number,
  limit: number,
  consume: Consume,
  options: ReadOptions,
): Promise<'read' | 'unopened' | 'failed'> {
  let stream: ReadableStream<Uint8Array>;
  try {
    stream = file.slice(start).stream();
  } catch {
    return 'unopened'; // Safari, over 4 GiB: NotReadableError
  }
  let reader: ReadableStreamBYOBReader;
  try {
    reader = stream.getReader({ mode: 'byob' });
  } catch {
    // No byte streams (WebKit): an opened stream that is never read slows the block reads after it.
    stream.cancel().catch(() => undefined);
    options.choice.verdict = 'blocks';
    return 'unopened';
  }
  try {
    await readStream(reader, options.bufferSize, limit, consume);
    return 'read';
  } catch (error) {
    // Only a read failed (consume's own errors are aborts, and go up).
    if (error instanceof ReadFailure) return 'failed';
    throw error;
  }
}

/** Reads into one reused buffer until `limit` bytes or the end, handing each filled part to `consume`. */
async function readStream(reader: ReadableStreamBYOBReader, bufferSize: number, limit: number, consume: Consume): Promise<void> {
  let buffer = new ArrayBuffer(bufferSize);
  let read = 0;
  try {
    while (read < limit) {
      let result: ReadableStreamReadResult<Uint8Array<ArrayBuffer>>;
      try {
        result = await reader.read(new Uint8Array(buffer));
      } catch (error) {
        throw new ReadFailure(error instanceof Error ? error.message : String(error));
      }
      if (result.done) return;
      read += result.value.byteLength;
      await consume(result.value);
      buffer = result.value.buffer; // the same memory, handed back by the stream
    }
  } finally {
    // Stopped before the end (a probe segment, abort, failure): release the file. After the end a no-op.
    reader.cancel().catch(() => undefined);
  }
}

/** `blob.slice().arrayBuffer()` in blocks over [offset, end), `readAhead` reads in flight while one is hashed. */
async function readBlocks(
  file: Blob,
  offset: number,
  end: number,
  blockSize: number,
  readAhead: number,
  consume: Consume,
): Promise<void> {
  const reads: Promise<ArrayBuffer>[] = [];
  let nextRead = offset;
  const fillReadAhead = (): void => {
    while (reads.length <= readAhead && nextRead < end) {
      const blockEnd = Math.min(nextRead + blockSize, end);
      const read = file.slice(nextRead, blockEnd).arrayBuffer();
      // An abandoned read (abort, error in an earlier block) must not surface as an unhandled rejection.
      read.catch(() => undefined);
      reads.push(read);
      nextRead = blockEnd;
    }
  };
  fillReadAhead();
  while (reads.length > 0) {
    const buffer = await reads.shift()!;
    fillReadAhead(); // start the next read before hashing this block
    await consume(new Uint8Array(buffer));
  }
}
