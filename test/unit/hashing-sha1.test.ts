// The product's own binding of hash-wasm's SHA-1 kernel (src/hashing/sha1.ts) against hash-wasm's
// wrapper and Node's crypto: same digests, chunked input, and saved states that either side can load
// (checkpoints stored by builds that used hash-wasm's wrapper must still resume).
import { createHash, randomBytes } from 'node:crypto';
import { createSHA1 } from 'hash-wasm';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, no types
import { hashWasmSha1, sha1WasmSource } from '../../scripts/sha1-wasm.mjs';
import { readFileSync } from 'node:fs';
import { createSha1 } from '../../src/hashing/sha1.js';

const nodeSha1 = (...parts: Uint8Array[]): string => {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

describe('SHA-1 kernel binding', () => {
  it('matches Node for empty input, a string, and inputs around the kernel\'s 16 KiB buffer', async () => {
    const empty = await createSha1();
    expect(empty.digest()).toBe(nodeSha1(new Uint8Array(0)));
    const text = await createSha1();
    text.update('vod-sample-v1:123\nå');
    expect(text.digest()).toBe(createHash('sha1').update('vod-sample-v1:123\nå', 'utf8').digest('hex'));
    for (const size of [1, 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 3 * 1024 * 1024 + 7]) {
      const bytes = new Uint8Array(randomBytes(size));
      const h = await createSha1();
      h.update(bytes.subarray(0, 5));
      h.update(bytes.subarray(5));
      expect(h.digest(), `size ${size}`).toBe(nodeSha1(bytes));
    }
  });

  it('saves states hash-wasm loads, and loads states hash-wasm saved', async () => {
    const a = new Uint8Array(randomBytes(100_000));
    const b = new Uint8Array(randomBytes(70_001));
    const ours = await createSha1();
    ours.update(a);
    const theirs = await createSHA1();
    theirs.load(ours.save());
    theirs.update(b);
    expect(theirs.digest('hex')).toBe(nodeSha1(a, b));

    const theirs2 = await createSHA1();
    theirs2.update(a);
    const ours2 = await createSha1();
    ours2.load(theirs2.save());
    ours2.update(b);
    expect(ours2.digest()).toBe(nodeSha1(a, b));
  });

  it('refuses a state of another length or module, and is left as it was', async () => {
    const h = await createSha1();
    const saved = h.save();
    const foreign = saved.slice();
    foreign[0] ^= 0xff;
    expect(() => h.load(foreign)).toThrow(/not saved by this SHA-1 kernel/);
    expect(() => h.load(saved.subarray(1))).toThrow(/not saved by this SHA-1 kernel/);
    h.update(new Uint8Array([1, 2, 3]));
    expect(h.digest()).toBe(nodeSha1(new Uint8Array([1, 2, 3])));
  });

  it('carries the kernel of the installed hash-wasm (run node scripts/sha1-wasm.mjs after an upgrade)', () => {
    const generated = readFileSync(new URL('../../src/hashing/sha1-wasm.ts', import.meta.url), 'utf8');
    expect(generated).toBe(sha1WasmSource(hashWasmSha1()));
  });
});
