// The hash bench page: exposes `__benchHash` for the Node driver. Each call times one whole hash
// inside the page (performance.now) and answers the sha, which the driver checks against Node's.

import { createHasher } from '../../src/hashing/hasher.js';
import type { BenchHashRequest, BenchHashResponse, FileReaderKind } from './bench-hash.worker.js';

const input = document.querySelector<HTMLInputElement>('#file')!;
const hasher = createHasher();
let worker: Worker | undefined;

function file(): File {
  const chosen = input.files?.[0];
  if (!chosen) throw new Error('no file chosen');
  return chosen;
}

function baseline(request: BenchHashRequest): Promise<BenchHashResponse> {
  worker ??= new Worker(new URL('./bench-hash.worker.ts', import.meta.url), { type: 'module' });
  const target = worker;
  return new Promise((resolve, reject) => {
    target.onmessage = (event: MessageEvent<BenchHashResponse>) =>
      event.data.error ? reject(new Error(event.data.error)) : resolve(event.data);
    target.onerror = (event) => reject(new Error(event.message || 'baseline worker failed'));
    target.postMessage(request);
  });
}

const api = {
  /** Loads both workers (and the WASM) so that no timing includes a module fetch or compile. */
  async warmUp(): Promise<void> {
    await hasher.sha1(new Blob([new Uint8Array(1024)]));
    await baseline({ type: 'ping' });
  },
  async product(): Promise<BenchHashResponse> {
    const chosen = file();
    const started = performance.now();
    const sha = await hasher.sha1(chosen);
    return { ms: performance.now() - started, bytes: chosen.size, sha };
  },
  rawLoop(blockSize: number): Promise<BenchHashResponse> {
    return baseline({ type: 'raw-loop', file: file(), blockSize });
  },
  fileKernel(reader: FileReaderKind): Promise<BenchHashResponse> {
    return baseline({ type: 'file-kernel', file: file(), reader });
  },
  kernel(bufferBytes: number, rounds: number): Promise<BenchHashResponse> {
    return baseline({ type: 'kernel', bufferBytes, rounds });
  },
  legacy(kind: 'crypto-js' | 'jssha', bytes: number, blockSize: number): Promise<BenchHashResponse> {
    return baseline({ type: kind, file: file(), bytes, blockSize });
  },
};

declare global {
  interface Window {
    __benchHash: typeof api;
  }
}
window.__benchHash = api;
