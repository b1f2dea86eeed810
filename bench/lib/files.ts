// Benchmark input files: random bytes (AES-CTR keystream: incompressible, fast to make), kept under
// bench/files/ and reused by later runs when one of the right size is already there.

import { createCipheriv, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MiB } from './args.js';

export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(BENCH_DIR, '..');
export const FILES_DIR = join(BENCH_DIR, 'files');

/** Path of the reusable random file of `size` bytes, made now if missing or of the wrong size. */
export async function benchFile(size: number, log: (line: string) => void): Promise<string> {
  mkdirSync(FILES_DIR, { recursive: true });
  const path = join(FILES_DIR, `random-${size}.mp4`);
  if (existsSync(path) && statSync(path).size === size) return path;
  const started = performance.now();
  // A temporary name first: an interrupted run must not leave a short file that looks reusable.
  const partial = `${path}.partial`;
  const handle = await open(partial, 'w');
  try {
    const cipher = createCipheriv('aes-128-ctr', randomBytes(16), randomBytes(16));
    const zeros = Buffer.alloc(16 * MiB);
    for (let written = 0; written < size; ) {
      const n = Math.min(zeros.length, size - written);
      const chunk = cipher.update(n === zeros.length ? zeros : zeros.subarray(0, n));
      await handle.write(chunk, 0, chunk.length, written);
      written += n;
    }
  } finally {
    await handle.close();
  }
  await rename(partial, path);
  log(`made ${path} (${size} bytes) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return path;
}

/** SHA-1 of a file (or its first `bytes`) in Node: the reference the browser hashes are checked against. */
export async function nodeSha1(path: string, bytes?: number): Promise<string> {
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha1');
  const end = bytes === undefined ? undefined : bytes - 1;
  if (end === -1) return hash.digest('hex');
  for await (const chunk of createReadStream(path, { highWaterMark: 8 * MiB, end })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * `count` files of `size` random bytes (each its own content: no instant uploads) under
 * bench/files/many-<count>/ (64 KiB) or many-<count>x<size>/, made once and reused; a marker file
 * says the folder is complete. Returns their paths in name order.
 */
export async function manyFiles(count: number, size: number, log: (line: string) => void): Promise<string[]> {
  const { writeFile, mkdir } = await import('node:fs/promises');
  const dir = join(FILES_DIR, size === 64 * 1024 ? `many-${count}` : `many-${count}x${size}`);
  const paths = Array.from({ length: count }, (_, i) => join(dir, `clip-${String(i + 1).padStart(5, '0')}.mp4`));
  const marker = join(dir, '.complete');
  if (existsSync(marker)) return paths;
  const started = performance.now();
  await mkdir(dir, { recursive: true });
  for (const path of paths) await writeFile(path, randomBytes(size));
  await writeFile(marker, `${count} × ${size}\n`);
  log(`made ${count} files of ${size} bytes in ${dir} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return paths;
}
