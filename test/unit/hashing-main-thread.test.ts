// The hashing loops (hash-core.ts) through MainThreadHasher in Node 20: SHA-1 against node:crypto,
// checkpoints and resume, the sampled fingerprint's exact definition, abort, and error mapping.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UploadError, isAbortError } from '../../src/engine/errors.js';
import type { HashCheckpoint } from '../../src/engine/types.js';
import { SAMPLE_RANGE_SIZE, SAMPLE_RANGES, hashBlob, sampleRanges } from '../../src/hashing/hash-core.js';
import { createHasher } from '../../src/hashing/hasher.js';
import { MainThreadHasher } from '../../src/hashing/main-thread-hasher.js';

const MiB = 1024 * 1024;
const sha1Of = (...parts: Uint8Array[]): string => {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

describe('MainThreadHasher.sha1', () => {
  const hasher = new MainThreadHasher();

  it('is the SHA-1 of empty for a 0-byte file', async () => {
    expect(await hasher.sha1(new Blob([]))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });

  it.each([1, MiB - 1, MiB, MiB + 1, 3 * MiB + 7])('equals node:crypto for %i bytes', async (size) => {
    const bytes = randomBytes(size);
    expect(await hasher.sha1(new Blob([bytes]))).toBe(sha1Of(bytes));
  });

  it('reports growing progress ending at the size', async () => {
    const bytes = randomBytes(5 * MiB);
    const seen: number[] = [];
    await hasher.sha1(new Blob([bytes]), { onProgress: (n) => seen.push(n) });
    expect(seen.at(-1)).toBe(bytes.length);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('rejects with an abort error when aborted, before or during', async () => {
    const before = new AbortController();
    before.abort();
    await expect(hasher.sha1(new Blob([randomBytes(10)]), { signal: before.signal })).rejects.toSatisfy(isAbortError);

    const during = new AbortController();
    const big = new Blob([randomBytes(8 * MiB)]);
    let hashed = 0;
    const job = hasher.sha1(big, { signal: during.signal, onProgress: (n) => (hashed = n) });
    setTimeout(() => during.abort(), 0);
    await expect(job).rejects.toSatisfy(isAbortError);
    expect(hashed).toBeLessThan(big.size);
  });
});

describe('checkpoints', () => {
  it('resuming from a checkpoint gives the full SHA-1 and hashes only the rest', async () => {
    const bytes = randomBytes(10 * MiB + 5);
    const file = new Blob([bytes]);
    const checkpoints: HashCheckpoint[] = [];
    const full = await hashBlob(file, {
      blockSize: MiB,
      checkpointEvery: 4 * MiB,
      onCheckpoint: (offset, state) => checkpoints.push({ offset, state }),
    });
    expect(full).toBe(sha1Of(bytes));
    expect(checkpoints.map((c) => c.offset)).toEqual([4 * MiB, 8 * MiB]);

    const seen: number[] = [];
    const resumed = await new MainThreadHasher().sha1(file, { from: checkpoints[1], onProgress: (n) => seen.push(n) });
    expect(resumed).toBe(full);
    expect(Math.min(...seen)).toBe(8 * MiB);
  });

  it('ignores a checkpoint past the end or with a corrupt state, and hashes from 0', async () => {
    const bytes = randomBytes(2 * MiB);
    const hasher = new MainThreadHasher();
    const expected = sha1Of(bytes);
    expect(await hasher.sha1(new Blob([bytes]), { from: { offset: 3 * MiB, state: new Uint8Array(8) } })).toBe(expected);
    expect(await hasher.sha1(new Blob([bytes]), { from: { offset: MiB, state: new Uint8Array([1, 2, 3]) } })).toBe(
      expected,
    );
  });
});

describe('the two readers (stream: BYOB into one buffer; blocks: arrayBuffer with read-ahead)', () => {
  const KiB = 1024;

  // Odd sizes as Firefox's BYOB reads (57344 B first, then whatever its pipe holds): the checkpoints
  // still land on the interval, and a read over several boundaries leaves one at each.
  it.each([
    ['stream', 64 * KiB],
    ['stream', 3 * MiB],
    ['stream', 56 * KiB + 1],
    ['blocks', 64 * KiB],
    ['blocks', MiB],
    ['blocks', 1000 * KiB + 3],
    ['blocks', 3 * MiB - 1],
  ] as const)('%s with %i-byte reads equals node:crypto, and resumes from each of its checkpoints', async (reader, blockSize) => {
    const bytes = randomBytes(5 * MiB + 777);
    const file = new Blob([bytes]);
    const checkpoints: HashCheckpoint[] = [];
    const full = await hashBlob(file, {
      reader,
      blockSize,
      checkpointEvery: MiB,
      onCheckpoint: (offset, state) => checkpoints.push({ offset, state }),
    });
    expect(full).toBe(sha1Of(bytes));
    expect(checkpoints.map((c) => c.offset)).toEqual([1, 2, 3, 4, 5].map((n) => n * MiB));
    for (const from of checkpoints) {
      expect(await hashBlob(file, { reader, blockSize, from })).toBe(full);
    }
  });

  /** A file whose stream() delivers `failAfter` bytes and then fails the way Chromium does. */
  function flakyStream(bytes: Uint8Array<ArrayBuffer>, failAfter: number, breakBlocks = false) {
    const real = new Blob([bytes]);
    const blockReads: number[] = [];
    const view = (start: number, end: number): Blob =>
      ({
        size: end - start,
        slice: (a = 0, b = end - start) => view(start + a, Math.min(start + b, end)),
        arrayBuffer: () => {
          blockReads.push(start);
          return breakBlocks
            ? Promise.reject(new DOMException('changed on disk', 'NotReadableError'))
            : real.slice(start, end).arrayBuffer();
        },
        stream: () => {
          let step = 0;
          return new ReadableStream({
            type: 'bytes',
            pull(controller) {
              // A copy: enqueue() detaches its chunk's buffer (and Node's randomBytes shares a pool).
              if (step++ === 0) controller.enqueue(new Uint8Array(bytes.subarray(start, Math.min(start + failAfter, end))));
              else controller.error(new TypeError('network error'));
            },
          });
        },
      }) as unknown as Blob;
    return { file: view(0, bytes.length), blockReads };
  }

  it('a failed stream read goes on in blocks from the same byte, and the sha is still right', async () => {
    const bytes = randomBytes(3 * MiB + 5);
    const { file, blockReads } = flakyStream(bytes, MiB + 3);
    expect(await hashBlob(file, { blockSize: 256 * KiB, readAhead: 0 })).toBe(sha1Of(bytes));
    expect(blockReads[0]).toBe(MiB + 3); // nothing before the failure is read or hashed twice
  });

  it('a failed stream read on a file that changed on disk ends as the specific unreadable-file error', async () => {
    const { file } = flakyStream(randomBytes(MiB), 1000, true);
    const error = await new MainThreadHasher().sha1(file).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'file', code: 'file-unreadable', action: 'fatal' });
  });

  it('reads in blocks where the browser has no BYOB readers', async () => {
    const bytes = randomBytes(MiB + 1);
    const real = new Blob([bytes]);
    let blockReads = 0;
    const noByob = (blob: Blob): Blob =>
      ({
        size: blob.size,
        slice: (a?: number, b?: number) => noByob(blob.slice(a, b)),
        arrayBuffer: () => {
          blockReads++;
          return blob.arrayBuffer();
        },
        stream: () => {
          const stream = blob.stream();
          stream.getReader = (() => {
            throw new TypeError('byob unsupported');
          }) as typeof stream.getReader;
          return stream;
        },
      }) as unknown as Blob;
    // Its own reader choice: the shared one would remember "no BYOB" for the tests after this one.
    expect(await hashBlob(noByob(real), { blockSize: 256 * KiB, readerChoice: { segmentBytes: MiB, minBytes: 4 * MiB } })).toBe(sha1Of(bytes));
    expect(blockReads).toBe(5);
  });
});

describe('sample (the sampled fingerprint)', () => {
  const hasher = new MainThreadHasher();
  const header = (size: number): Uint8Array => new TextEncoder().encode(`vod-sample-v1:${size}\n`);

  it('hashes the size line and the whole content of a small file', async () => {
    const bytes = randomBytes(SAMPLE_RANGES * SAMPLE_RANGE_SIZE);
    expect(await hasher.sample(new Blob([bytes]))).toBe(sha1Of(header(bytes.length), bytes));
    expect(await hasher.sample(new Blob([]))).toBe(sha1Of(header(0)));
  });

  it('hashes the size line and five 64 KiB ranges evenly spread over a larger file', async () => {
    const size = 3 * MiB + 12345;
    const bytes = randomBytes(size);
    const ranges = sampleRanges(size);
    expect(ranges).toHaveLength(5);
    expect(ranges[0]).toEqual([0, SAMPLE_RANGE_SIZE]);
    expect(ranges[4]).toEqual([size - SAMPLE_RANGE_SIZE, size]);
    const parts = ranges.map(([a, b]) => bytes.subarray(a, b));
    expect(await hasher.sample(new Blob([bytes]))).toBe(sha1Of(header(size), ...parts));
  });

  it('is stable for the same content, changes when a sampled middle byte or the size changes', async () => {
    const size = 2 * MiB;
    const bytes = randomBytes(size);
    const a = await hasher.sample(new Blob([bytes]));
    expect(await hasher.sample(new Blob([Buffer.from(bytes)]))).toBe(a);
    const changed = Buffer.from(bytes);
    changed[Math.floor(size / 2)] ^= 0xff;
    expect(await hasher.sample(new Blob([changed]))).not.toBe(a);
    expect(await hasher.sample(new Blob([bytes, new Uint8Array(1)]))).not.toBe(a);
  });
});

describe('createHasher', () => {
  it('falls back to the main thread where there is no Worker (Node)', async () => {
    const hasher = createHasher();
    const bytes = randomBytes(1000);
    expect(await hasher.sliceSha1(new Blob([bytes]))).toBe(sha1Of(bytes));
  });

  it('reports an unreadable file as a fatal file error', async () => {
    const unreadable = new Blob([randomBytes(10)]);
    unreadable.slice = () => {
      const broken = new Blob([]);
      broken.arrayBuffer = () => Promise.reject(new DOMException('changed on disk', 'NotReadableError'));
      return broken;
    };
    // A one-block file is read whole from the File itself (file-readers.ts): unreadable that way too.
    unreadable.arrayBuffer = () => Promise.reject(new DOMException('changed on disk', 'NotReadableError'));
    // As Chromium's stream of such a file: a bare "network error" (hash-core then reads in blocks).
    unreadable.stream = () => new ReadableStream({ type: 'bytes', pull: (c) => c.error(new TypeError('network error')) });
    const error = await new MainThreadHasher().sha1(unreadable).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadError);
    expect(error).toMatchObject({ kind: 'file', code: 'file-unreadable', action: 'fatal' });
  });
});
