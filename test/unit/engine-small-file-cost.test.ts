// What a small file costs the main thread in Chromium, where every Blob.slice() is a synchronous
// round trip to the browser process (~0.4 ms): a file that is one slice is sent as the file itself,
// and a small body's readability check reads it whole instead of slicing off its last byte.
import { describe, expect, it } from 'vitest';
import { makeFile, sha1Of } from './fakes/fakes.js';
import { FakeHasher } from './fakes/fakes.js';
import { makeHarness } from './fakes/harness.js';

/** `file`, counting every slice() of it and of the blobs sliced from it. */
function countingSlices(file: File): { file: File; slices: { count: number } } {
  const slices = { count: 0 };
  const counting = <B extends Blob>(blob: B): B => {
    const slice = blob.slice.bind(blob);
    blob.slice = (start?: number, end?: number, type?: string): Blob => {
      slices.count++;
      return counting(slice(start, end, type));
    };
    return blob;
  };
  return { file: counting(file), slices };
}

/** A hasher whose sample reads the file without slicing it (the worker's reads are not the main thread's). */
function wholeReadingHasher(): FakeHasher {
  const hasher = new FakeHasher();
  hasher.sample = (file: Blob) => sha1Of(file);
  return hasher;
}

describe('the main-thread cost of a small file', () => {
  it('a file of one slice is uploaded without any slice() of it', async () => {
    const h = makeHarness({}, { hasher: wholeReadingHasher() });
    h.protocol.sliceSize = 1024 * 1024;
    const { file, slices } = countingSlices(makeFile(64 * 1024));
    const { added } = h.queue.add([file]);
    expect((await h.until(added[0]!.id, 'done', 'error')).status).toBe('done');
    expect(h.protocol.slices().map((c) => c.size)).toEqual([64 * 1024]);
    expect(slices.count).toBe(0);
  });

  it('a file of several small slices costs one slice() per slice, none for the readability check', async () => {
    const h = makeHarness({ concurrency: 1 }, { hasher: wholeReadingHasher() });
    h.protocol.sliceSize = 1000;
    const { file, slices } = countingSlices(makeFile(3000));
    const { added } = h.queue.add([file]);
    expect((await h.until(added[0]!.id, 'done', 'error')).status).toBe('done');
    expect(h.protocol.slices().map((c) => c.offset)).toEqual([0, 1000, 2000]);
    expect(slices.count).toBe(3);
  });
});
