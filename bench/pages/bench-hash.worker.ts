// The hash baselines, each in a bare module worker so that none of them touches the page's thread:
// (a) the straightforward read-then-hash loop with hash-wasm, (a') hash-wasm's kernel on a buffer
// already in memory, (a'') the same kernel fed by each way this engine can read a file (the engine's
// ceiling for the whole job), (b) crypto-js and jsSHA fed incrementally like the protocol's older SDKs.

import CryptoJS from 'crypto-js';
import { createSHA1 } from 'hash-wasm';
import JsSHA from 'jssha/sha1';

export type BenchHashRequest =
  | { type: 'ping' }
  | { type: 'raw-loop'; file: Blob; blockSize: number }
  | { type: 'kernel'; bufferBytes: number; rounds: number }
  | { type: 'file-kernel'; file: Blob; reader: FileReaderKind }
  | { type: 'crypto-js' | 'jssha'; file: Blob; bytes: number; blockSize: number };

/**
 * The ways a worker can read a file: `byob`, `blob.stream()` with a BYOB reader into one reused 2 MiB
 * buffer; `stream`, the same stream with its default reader (chunks the engine allocates); `blocks`,
 * `slice().arrayBuffer()` of 4 MiB blocks with 3 reads in flight while one is hashed.
 */
export const FILE_READERS = ['byob', 'stream', 'blocks'] as const;
export type FileReaderKind = (typeof FILE_READERS)[number];

export interface BenchHashResponse {
  ms: number;
  bytes: number;
  sha?: string;
  error?: string;
  /** file-kernel: this engine cannot read that way (e.g. no BYOB reader). */
  unsupported?: boolean;
}

interface WorkerScope {
  onmessage: ((event: MessageEvent<BenchHashRequest>) => void) | null;
  postMessage(message: BenchHashResponse): void;
}
const scope = self as unknown as WorkerScope;

/** What a first implementation does: read a block, wait for it, hash it, read the next one. */
async function rawLoop(file: Blob, blockSize: number): Promise<BenchHashResponse> {
  const started = performance.now();
  const sha1 = await createSHA1();
  for (let offset = 0; offset < file.size; offset += blockSize) {
    const buffer = await file.slice(offset, offset + blockSize).arrayBuffer();
    sha1.update(new Uint8Array(buffer));
  }
  const sha = sha1.digest('hex');
  return { ms: performance.now() - started, bytes: file.size, sha };
}

/** The WASM kernel alone: the same in-memory buffer hashed `rounds` times (no reads at all). */
async function kernel(bufferBytes: number, rounds: number): Promise<BenchHashResponse> {
  const buffer = new Uint8Array(bufferBytes);
  for (let i = 0; i < bufferBytes; i += 65536) crypto.getRandomValues(buffer.subarray(i, i + 65536));
  const sha1 = await createSHA1();
  sha1.update(buffer.subarray(0, 1 << 20)); // warm the WASM code before timing
  sha1.init();
  const started = performance.now();
  for (let r = 0; r < rounds; r++) sha1.update(buffer);
  const sha = sha1.digest('hex');
  return { ms: performance.now() - started, bytes: bufferBytes * rounds, sha };
}

/** Hashes the file as fast as `reader` can deliver it, with nothing else in the loop. */
async function fileKernel(file: Blob, reader: FileReaderKind): Promise<BenchHashResponse> {
  const sha1 = await createSHA1();
  const started = performance.now();
  if (reader === 'blocks') {
    const block = 4 << 20;
    const reads: Promise<ArrayBuffer>[] = [];
    let next = 0;
    const fill = (): void => {
      for (; reads.length < 4 && next < file.size; next += block) reads.push(file.slice(next, next + block).arrayBuffer());
    };
    fill();
    while (reads.length) {
      const buffer = await reads.shift()!;
      fill();
      sha1.update(new Uint8Array(buffer));
    }
  } else {
    const stream = file.stream();
    if (reader === 'stream') {
      const chunks = stream.getReader();
      for (let r = await chunks.read(); !r.done; r = await chunks.read()) sha1.update(r.value);
    } else {
      let byob: ReadableStreamBYOBReader;
      try {
        byob = stream.getReader({ mode: 'byob' });
      } catch {
        await stream.cancel(); // never leave an opened file stream behind
        return { ms: 0, bytes: 0, unsupported: true };
      }
      let buffer = new ArrayBuffer(2 << 20);
      for (;;) {
        const r = await byob.read(new Uint8Array(buffer));
        if (r.done) break;
        sha1.update(r.value);
        buffer = r.value.buffer;
      }
    }
  }
  const sha = sha1.digest('hex');
  return { ms: performance.now() - started, bytes: file.size, sha };
}

/** The older SDKs' way: read a block as an ArrayBuffer, convert, feed a JS SHA-1 incrementally. */
async function legacy(kind: 'crypto-js' | 'jssha', file: Blob, bytes: number, blockSize: number) {
  const end = Math.min(bytes, file.size);
  const started = performance.now();
  let sha: string;
  if (kind === 'crypto-js') {
    const hasher = CryptoJS.algo.SHA1.create();
    for (let offset = 0; offset < end; offset += blockSize) {
      const buffer = await file.slice(offset, Math.min(offset + blockSize, end)).arrayBuffer();
      hasher.update(CryptoJS.lib.WordArray.create(buffer));
    }
    sha = hasher.finalize().toString();
  } else {
    const hasher = new JsSHA('SHA-1', 'ARRAYBUFFER');
    for (let offset = 0; offset < end; offset += blockSize) {
      hasher.update(await file.slice(offset, Math.min(offset + blockSize, end)).arrayBuffer());
    }
    sha = hasher.getHash('HEX');
  }
  return { ms: performance.now() - started, bytes: end, sha };
}

async function handle(request: BenchHashRequest): Promise<BenchHashResponse> {
  switch (request.type) {
    case 'ping':
      return { ms: 0, bytes: 0 };
    case 'raw-loop':
      return rawLoop(request.file, request.blockSize);
    case 'kernel':
      return kernel(request.bufferBytes, request.rounds);
    case 'file-kernel':
      return fileKernel(request.file, request.reader);
    case 'crypto-js':
    case 'jssha':
      return legacy(request.type, request.file, request.bytes, request.blockSize);
  }
}

scope.onmessage = (event) => {
  handle(event.data).then(
    (response) => scope.postMessage(response),
    (error: unknown) => scope.postMessage({ ms: 0, bytes: 0, error: String(error) }),
  );
};
