// SHA-1 on hash-wasm's WebAssembly kernel (sha1-wasm.ts), bound here with only what hashing needs:
// update, a hex digest, and save/load of the state for checkpoints. hash-wasm's own wrapper serves
// every algorithm (strings, Node Buffers, a mutex, one-shot shortcuts) and was ~2 KB of the worker's
// gzip (bench/README.md, "Bundle"). The kernel and the state format are hash-wasm's: a saved state
// is the module's 4-byte id followed by its state bytes, so checkpoints stored by builds that used
// hash-wasm's wrapper still load.
// Only WebAssembly, atob and TextEncoder: type-checks under both the DOM and the WebWorker libs.

import { SHA1_WASM, SHA1_WASM_ID } from './sha1-wasm.js';

/** Bytes the kernel takes per call: its input buffer (hash-wasm's MAX_HEAP). */
const INPUT_BYTES = 16 * 1024;
const DIGEST_BYTES = 20;

interface Kernel {
  memory: WebAssembly.Memory;
  Hash_GetBuffer(): number;
  Hash_Init(bits: number): void;
  Hash_Update(length: number): void;
  Hash_Final(padding: number): void;
  Hash_GetState(): number;
  STATE_SIZE: WebAssembly.Global;
}

export interface Sha1 {
  update(data: Uint8Array | string): void;
  /** 40 lowercase hex characters; the hasher is spent afterwards. */
  digest(): string;
  save(): Uint8Array;
  /** Throws on a state this kernel did not save (another length or module id). */
  load(state: Uint8Array): void;
}

let compiled: Promise<WebAssembly.Module> | undefined;

const idBytes = (): Uint8Array => Uint8Array.from(SHA1_WASM_ID.match(/../g)!, (pair) => parseInt(pair, 16));

export async function createSha1(): Promise<Sha1> {
  compiled ??= WebAssembly.compile(Uint8Array.from(atob(SHA1_WASM), (c) => c.charCodeAt(0)));
  const k = (await WebAssembly.instantiate(await compiled)).exports as unknown as Kernel;
  const input = new Uint8Array(k.memory.buffer, k.Hash_GetBuffer(), INPUT_BYTES);
  const state = (): Uint8Array =>
    new Uint8Array(k.memory.buffer, k.Hash_GetState(), new DataView(k.memory.buffer).getUint32(k.STATE_SIZE.value as number, true));
  const id = idBytes();
  k.Hash_Init(0);
  return {
    update(data) {
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      for (let at = 0; at < bytes.length; at += INPUT_BYTES) {
        const chunk = bytes.subarray(at, at + INPUT_BYTES);
        input.set(chunk);
        k.Hash_Update(chunk.length);
      }
    },
    digest() {
      k.Hash_Final(0);
      return Array.from(input.subarray(0, DIGEST_BYTES), (b) => b.toString(16).padStart(2, '0')).join('');
    },
    save() {
      const current = state();
      const saved = new Uint8Array(id.length + current.length);
      saved.set(id);
      saved.set(current, id.length);
      return saved;
    },
    load(saved) {
      const current = state();
      if (saved.length !== id.length + current.length || id.some((b, i) => saved[i] !== b)) {
        throw new Error('This hash state was not saved by this SHA-1 kernel');
      }
      current.set(saved.subarray(id.length));
    },
  };
}
