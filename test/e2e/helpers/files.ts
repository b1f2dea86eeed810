// Test files on disk for E2E tests (give them to a page with setInputFiles: in-page Blobs over
// ~256 MiB fail in Chromium here). Pseudo-random bytes from a seed (xorshift128), never zeros, with
// their node:crypto SHA-1 computed while writing: ~1 s for 300 MiB.
import { createHash, randomInt } from 'node:crypto';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestFile {
  path: string;
  sha1: string;
  size: number;
  /** Deletes the file; safe to call twice. */
  cleanup(): void;
}

export interface TestFileOptions {
  /** Same seed and size, same bytes. Default: random. */
  seed?: number;
  /** Default: os.tmpdir(). */
  dir?: string;
  /** File name; default `vod-test-<size>-<seed>-<random>.mp4` (the .mp4 gives it type video/mp4). */
  name?: string;
}

const CHUNK = 4 * 1024 * 1024;

export function makeTestFile(size: number, options: TestFileOptions = {}): TestFile {
  const seed = (options.seed ?? randomInt(1, 2 ** 31)) >>> 0;
  const name = options.name ?? `vod-test-${size}-${seed}-${randomInt(1e9)}.mp4`;
  const path = join(options.dir ?? tmpdir(), name);
  // xorshift128 state from the seed (never all zero).
  let x = seed || 1;
  let y = 362436069;
  let z = 521288629;
  let w = 88675123 ^ seed;
  const hash = createHash('sha1');
  const fd = openSync(path, 'w');
  try {
    const words = new Uint32Array(CHUNK / 4);
    const bytes = new Uint8Array(words.buffer);
    for (let written = 0; written < size; ) {
      for (let i = 0; i < words.length; i++) {
        const t = x ^ (x << 11);
        x = y;
        y = z;
        z = w;
        w = (w ^ (w >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
        words[i] = w;
      }
      const n = Math.min(CHUNK, size - written);
      const part = bytes.subarray(0, n);
      hash.update(part);
      writeSync(fd, part);
      written += n;
    }
  } finally {
    closeSync(fd);
  }
  return {
    path,
    size,
    sha1: hash.digest('hex'),
    cleanup: () => rmSync(path, { force: true }),
  };
}
