// A file that goes away or shrinks on disk in the middle of its upload, as Firefox reports it: reads
// reject with an AbortError nobody asked for, or come back short, and a fetch of such a body neither
// sends nor fails until its timeout. The upload stops with a file error, without retrying.
import { describe, expect, it } from 'vitest';
import type { UploadSnapshot } from '../../src/engine/types.js';
import { networkError, timeoutError } from './fakes/fake-protocol.js';
import { makeFile } from './fakes/fakes.js';
import { makeHarness, type Harness } from './fakes/harness.js';

type Gone = 'no' | 'deleted' | 'shrunk';

/** A File whose reads (of it and of its slices, as the engine reads) fail once `state.gone` is set. */
function vanishingFile(size: number): { file: File; state: { gone: Gone } } {
  const state: { gone: Gone } = { gone: 'no' };
  const vanishing = <B extends Blob>(blob: B): B => {
    const { slice, arrayBuffer } = { slice: blob.slice.bind(blob), arrayBuffer: blob.arrayBuffer.bind(blob) };
    blob.slice = (start?: number, end?: number, type?: string): Blob => vanishing(slice(start, end, type));
    blob.arrayBuffer = () =>
      state.gone === 'deleted'
        ? Promise.reject(new DOMException('The operation was aborted.', 'AbortError'))
        : state.gone === 'shrunk'
          ? Promise.resolve(new ArrayBuffer(0))
          : arrayBuffer();
    return blob;
  };
  return { file: vanishing(makeFile(size)), state };
}

async function upload(h: Harness, file: File): Promise<UploadSnapshot> {
  const { added } = h.queue.add([file]);
  return h.until(added[0]!.id, 'done', 'error');
}

describe('a file gone from disk in the middle of its upload', () => {
  it.each(['deleted', 'shrunk'] as const)('%s before the next slice: a file error at once, that slice never sent', async (gone) => {
    const h = makeHarness({ concurrency: 1 });
    h.protocol.sliceSize = 1000;
    const { file, state } = vanishingFile(3000);
    h.protocol.onAnswer = (call) => {
      if (call.op === 'slice' && call.offset === 0) state.gone = gone;
    };
    const failed = await upload(h, file);
    expect(failed.status).toBe('error');
    expect(failed.error).toMatchObject({ kind: 'file', retryable: false });
    expect(h.protocol.slices().map((c) => c.offset)).toEqual([0]);
    expect(h.types().filter((t) => t === 'retry')).toEqual([]);
  });

  it.each([
    ['a network error (Chromium)', networkError],
    ['a timeout (Firefox: the fetch waited for the body)', timeoutError],
  ])('deleted while a slice was in flight, which ends in %s: a file error, not a retry', async (_, fault) => {
    const h = makeHarness({ concurrency: 1 });
    h.protocol.sliceSize = 1000;
    const { file, state } = vanishingFile(3000);
    h.protocol.fail(
      (c) => c.op === 'slice' && c.offset === 1000,
      () => {
        state.gone = 'deleted';
        return fault();
      },
    );
    const failed = await upload(h, file);
    expect(failed.error).toMatchObject({ kind: 'file', retryable: false });
    expect(h.types().filter((t) => t === 'retry')).toEqual([]);
  });

  it('a network error while the file reads fine is still retried', async () => {
    const h = makeHarness({ concurrency: 1 });
    h.protocol.sliceSize = 1000;
    h.protocol.fail((c) => c.op === 'slice' && c.offset === 1000, timeoutError());
    const done = await upload(h, vanishingFile(3000).file);
    expect(done.status).toBe('done');
    expect(h.types().filter((t) => t === 'retry')).toHaveLength(1);
  });
});
