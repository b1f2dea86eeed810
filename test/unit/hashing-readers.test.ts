// Which reader hashBlob uses, per engine, and what happens where a reader is missing or fails:
// the measured choice between the BYOB stream and block reads, the stream cancelled where BYOB is
// missing (WebKit), and Safari's file.stream() that throws for files over 4 GiB.

import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BLOCKS_MARGIN, fasterReader, secondBlocksSegment, type ProbeSegment, type ReaderChoice } from '../../src/hashing/file-readers.js';
import { hashBlob } from '../../src/hashing/hash-core.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const sha1Of = (bytes: Uint8Array): string => createHash('sha1').update(bytes).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface FakeFileOptions {
  /** Delay of each 64 KiB chunk the stream delivers. */
  streamChunkDelayMs?: number;
  /** Delay of each arrayBuffer() block read. */
  blockDelayMs?: number;
  /** stream() throws this (Safari over 4 GiB: NotReadableError). */
  streamThrows?: Error;
  /** The stream errors with NotReadableError once it has delivered this many bytes. */
  streamFailsAfter?: number;
  /** The stream is not a byte stream: getReader({mode: 'byob'}) throws, as in WebKit. */
  noByob?: boolean;
}

/** A Blob-like file over `bytes` that records how it is read. */
function fakeFile(source: Uint8Array, options: FakeFileOptions = {}) {
  // A plain copy: Node's Buffer.slice() is a view into a shared pool, not a copy.
  const bytes = new Uint8Array(source);
  const log = { blockReads: [] as number[], streamBytes: 0, streamsOpened: 0, streamsCancelled: 0 };
  const view = (start: number, end: number): Blob =>
    ({
      size: end - start,
      slice: (a = 0, b = end - start) => view(start + a, Math.min(start + b, end)),
      arrayBuffer: async () => {
        log.blockReads.push(start);
        if (options.blockDelayMs) await sleep(options.blockDelayMs);
        return bytes.slice(start, end).buffer;
      },
      stream: () => {
        if (options.streamThrows) throw options.streamThrows;
        log.streamsOpened++;
        let at = start;
        const stream = new ReadableStream({
          type: 'bytes',
          async pull(controller) {
            if (options.streamChunkDelayMs) await sleep(options.streamChunkDelayMs);
            if (options.streamFailsAfter !== undefined && at - start >= options.streamFailsAfter) {
              return controller.error(new DOMException('The file could not be read', 'NotReadableError'));
            }
            if (at >= end) {
              controller.close();
              controller.byobRequest?.respond(0); // a pending BYOB read must be answered to see the end
              return;
            }
            const chunk = bytes.slice(at, Math.min(at + 64 * KiB, end));
            at += chunk.byteLength;
            log.streamBytes += chunk.byteLength;
            controller.enqueue(chunk);
          },
          cancel() {
            log.streamsCancelled++;
          },
        });
        if (options.noByob) {
          const plain = stream.getReader.bind(stream);
          stream.getReader = ((o?: { mode?: string }) => {
            if (o?.mode === 'byob') throw new TypeError('ReadableStreamBYOBReader needs a ReadableByteStreamController');
            return plain();
          }) as typeof stream.getReader;
        }
        return stream;
      },
    }) as unknown as Blob;
  return { file: view(0, bytes.length), log };
}

describe('the reader, chosen per engine by measuring it on the file', () => {
  const choice = (): ReaderChoice => ({ segmentBytes: 256 * KiB, minBytes: MiB });

  it('keeps block reads where the stream is slower, for the rest of the file and for the next file', async () => {
    const bytes = randomBytes(3 * MiB + 11);
    const readers = choice();
    const slowStream = fakeFile(bytes, { streamChunkDelayMs: 8 });
    expect(await hashBlob(slowStream.file, { readerChoice: readers, blockSize: 128 * KiB })).toBe(sha1Of(bytes));
    expect(readers.verdict).toBe('blocks');
    // The probe: two 256 KiB stream segments (each may overrun by one buffer); the rest in blocks.
    expect(slowStream.log.streamBytes).toBeLessThanOrEqual(2 * (256 + 128) * KiB);
    expect(slowStream.log.streamsCancelled).toBe(slowStream.log.streamsOpened);

    const next = fakeFile(bytes, { streamChunkDelayMs: 8 });
    expect(await hashBlob(next.file, { readerChoice: readers, blockSize: 128 * KiB })).toBe(sha1Of(bytes));
    expect(next.log.streamsOpened).toBe(0);
  });

  it('chooses block reads only when they beat the stream by BLOCKS_MARGIN: their garbage costs memory', () => {
    expect(fasterReader(1, 2)).toBe('stream');
    expect(fasterReader(1, 1)).toBe('stream');
    // Blocks 10 % faster: a near tie (Chromium's probe under load), the stream.
    expect(fasterReader(1.1, 1)).toBe('stream');
    expect(fasterReader(BLOCKS_MARGIN, 1)).toBe('stream');
    // Blocks 1.3x faster (Firefox): blocks.
    expect(fasterReader(1.3, 1)).toBe('blocks');
  });

  it('keeps the stream where block reads are slower', async () => {
    const bytes = randomBytes(3 * MiB + 11);
    const readers = choice();
    const slowBlocks = fakeFile(bytes, { blockDelayMs: 30 });
    const probed: ProbeSegment[] = [];
    const onProbed = (_offset: number, _state: Uint8Array, _reader: string, segments: ProbeSegment[]) => probed.push(...segments);
    expect(await hashBlob(slowBlocks.file, { readerChoice: readers, blockSize: 128 * KiB, readAhead: 0, onProbed })).toBe(sha1Of(bytes));
    expect(readers.verdict).toBe('stream');
    // The segments the verdict was made of, as the handoff reports them (the bench logs them).
    expect(probed.map((s) => s.reader)).toEqual(['stream', 'blocks', 'stream']);
    expect(probed[1]!.msPerMiB).toBeGreaterThan(Math.min(probed[0]!.msPerMiB, probed[2]!.msPerMiB));
    // Block reads only in the probe's first 256 KiB segment: blocks that lost it to the stream get no
    // second (each block read is garbage until a GC: 16 MiB more of it in Chromium for nothing).
    expect(slowBlocks.log.blockReads).toEqual([MiB / 4, MiB / 4 + 128 * KiB]);
  });

  it('reads a second block segment only where the first beat the stream: a near tie or better', () => {
    expect(secondBlocksSegment(1, 2)).toBe(false);
    expect(secondBlocksSegment(1, 1)).toBe(false);
    expect(secondBlocksSegment(1.1, 1)).toBe(true);
  });

  it('reads a file under the probe size but over one block with the stream without probing, where BYOB works', async () => {
    const bytes = randomBytes(512 * KiB + 1);
    const readers = choice();
    const small = fakeFile(bytes);
    expect(await hashBlob(small.file, { readerChoice: readers, blockSize: 256 * KiB })).toBe(sha1Of(bytes));
    expect(small.log.blockReads).toEqual([]);
    expect(readers.verdict).toBeUndefined();
  });

  it('reads a file of one block in one block read, with no stream (Chromium\'s BYOB stream of a small file in a worker can hang)', async () => {
    const bytes = randomBytes(512 * KiB + 1);
    const readers = choice();
    const small = fakeFile(bytes);
    expect(await hashBlob(small.file, { readerChoice: readers })).toBe(sha1Of(bytes));
    expect(small.log.streamsOpened).toBe(0);
    expect(small.log.blockReads).toEqual([0]);
    expect(readers.verdict).toBeUndefined();
  });

  it('where there is no BYOB reader (WebKit), cancels the stream it opened and reads in blocks', async () => {
    const bytes = randomBytes(3 * MiB + 1);
    const readers = choice();
    const webkit = fakeFile(bytes, { noByob: true });
    expect(await hashBlob(webkit.file, { readerChoice: readers, blockSize: 256 * KiB })).toBe(sha1Of(bytes));
    expect(webkit.log.streamsOpened).toBe(1);
    expect(webkit.log.streamsCancelled).toBe(1);
    expect(webkit.log.streamBytes).toBe(0);
    expect(webkit.log.blockReads[0]).toBe(0);
    // Known for the next file: no stream is opened at all.
    const next = fakeFile(bytes, { noByob: true });
    await hashBlob(next.file, { readerChoice: readers, blockSize: 256 * KiB });
    expect(next.log.streamsOpened).toBe(0);
  });

  it.each([
    ['a small file', 64 * KiB],
    ['a big file (probed)', 3 * MiB],
  ])('where file.stream() throws NotReadableError (Safari, files over 4 GiB), hashes %s in blocks from the same byte', async (_, size) => {
    const bytes = randomBytes(size + 7);
    const whole = await hashBlob(new Blob([bytes]), { reader: 'blocks' });
    // Resumed from a checkpoint, so "the same byte" is not byte 0.
    const checkpoints: Array<{ offset: number; state: Uint8Array }> = [];
    await hashBlob(new Blob([bytes]), { reader: 'blocks', blockSize: 32 * KiB, checkpointEvery: 32 * KiB, onCheckpoint: (offset, state) => checkpoints.push({ offset, state }) });
    const from = checkpoints[0]!;
    const readers = choice();
    const safari = fakeFile(bytes, { streamThrows: new DOMException('The file could not be read', 'NotReadableError') });
    expect(await hashBlob(safari.file, { readerChoice: readers, from, blockSize: 256 * KiB })).toBe(whole);
    expect(whole).toBe(sha1Of(bytes));
    expect(safari.log.blockReads[0]).toBe(from.offset);
    // That file's failure says nothing about the engine's readers: nothing is remembered.
    expect(readers.verdict).toBeUndefined();
  });

  it('where a stream read fails with NotReadableError during the probe, goes on in blocks from the same byte', async () => {
    const bytes = randomBytes(3 * MiB + 9);
    const readers = choice();
    const failing = fakeFile(bytes, { streamFailsAfter: 128 * KiB });
    expect(await hashBlob(failing.file, { readerChoice: readers, blockSize: 64 * KiB, readAhead: 0 })).toBe(sha1Of(bytes));
    expect(failing.log.blockReads[0]).toBe(128 * KiB); // nothing read twice, nothing skipped
    expect(failing.log.streamsOpened).toBe(1); // (an errored stream holds nothing: no cancel to see)
    expect(readers.verdict).toBeUndefined();
  });
});
