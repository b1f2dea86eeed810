// A file that goes away or shrinks on disk in the middle of its upload, as Firefox reports it: reads
// reject with an AbortError nobody asked for, or come back short, and a fetch of such a body neither
// sends nor fails until its timeout. The upload stops with a file error, without retrying. The check
// that finds it (a read of the file's last byte for each slice) runs alongside the slice's request.
import { describe, expect, it } from 'vitest';
import { CHECK_AFTER_FAILURE_MS } from '../../src/engine/error-mapping.js';
import type { UploadSnapshot } from '../../src/engine/types.js';
import { networkError, timeoutError } from './fakes/fake-protocol.js';
import { makeFile } from './fakes/fakes.js';
import { makeHarness, waitFor, type Harness } from './fakes/harness.js';

type Gone = 'no' | 'deleted' | 'shrunk';

interface FileState {
  gone: Gone;
  /** Reads wait until this resolves (a slow file system), then go as `gone` says. */
  readsWaitFor?: Promise<void>;
  /** Reads started and not yet settled. */
  pendingReads: number;
  /** Called as each read starts. */
  onRead?: () => void;
  /** slice() calls (each one a synchronous call into the browser). */
  slices: number;
}

/** A File whose reads (of it and of its slices, as the engine reads) fail once `state.gone` is set. */
function vanishingFile(size: number): { file: File; state: FileState } {
  const state: FileState = { gone: 'no', pendingReads: 0, slices: 0 };
  const read = (arrayBuffer: () => Promise<ArrayBuffer>): Promise<ArrayBuffer> =>
    state.gone === 'deleted'
      ? Promise.reject(new DOMException('The operation was aborted.', 'AbortError'))
      : state.gone === 'shrunk'
        ? Promise.resolve(new ArrayBuffer(0))
        : arrayBuffer();
  const vanishing = <B extends Blob>(blob: B): B => {
    const { slice, arrayBuffer } = { slice: blob.slice.bind(blob), arrayBuffer: blob.arrayBuffer.bind(blob) };
    blob.slice = (start?: number, end?: number, type?: string): Blob => {
      state.slices++;
      return vanishing(slice(start, end, type));
    };
    blob.arrayBuffer = async () => {
      state.onRead?.();
      state.pendingReads++;
      try {
        await state.readsWaitFor;
        return await read(arrayBuffer);
      } finally {
        state.pendingReads--;
      }
    };
    return blob;
  };
  return { file: vanishing(makeFile(size)), state };
}

async function upload(h: Harness, file: File): Promise<UploadSnapshot> {
  const { added } = h.queue.add([file]);
  return h.until(added[0]!.id, 'done', 'error');
}

describe('a file gone from disk in the middle of its upload', () => {
  it.each(['deleted', 'shrunk'] as const)('%s before the next slice: a file error at once, that slice\'s request aborted', async (gone) => {
    const h = makeHarness({ concurrency: 1 });
    h.protocol.sliceSize = 1000;
    const { file, state } = vanishingFile(3000);
    h.protocol.onAnswer = (call) => {
      if (call.op !== 'slice' || call.offset !== 0) return;
      state.gone = gone;
      // Firefox's fetch of a body it cannot read never ends: only the failed check can stop it.
      h.protocol.hold();
    };
    const failed = await upload(h, file);
    expect(failed.status).toBe('error');
    expect(failed.error).toMatchObject({ kind: 'file', retryable: false });
    expect(h.protocol.slices().map((c) => c.offset)).toEqual([0, 1000]);
    expect(h.protocol.inFlight).toBe(0);
    expect(h.protocol.session('session-1')?.received).toEqual([[0, 1000]]);
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

  // Seen in Firefox: the slice's fetch fails at once (NS_ERROR_FILE_NOT_FOUND, a network error to the
  // page) and a read of the deleted file never settles. Whether the read pends already alongside the
  // request or only in the check before a retry, the upload ends in a file error, not 'uploading'.
  it.each([
    ['alongside the failed request', 'before'],
    ['in the check before a retry', 'after'],
  ] as const)('deleted, its request failed and the read of it never answers %s: a file error after a bounded wait, not a hang', async (_, when) => {
    const h = makeHarness({ concurrency: 1 });
    h.protocol.sliceSize = 1000;
    const { file, state } = vanishingFile(3000);
    const pendForEver = (): void => void (state.readsWaitFor = new Promise(() => {}));
    h.protocol.onAnswer = (call) => {
      if (when === 'before' && call.op === 'slice' && call.offset === 0) pendForEver();
    };
    h.protocol.fail(
      (c) => c.op === 'slice' && c.offset === 1000,
      () => {
        if (when === 'after') pendForEver();
        return networkError();
      },
    );
    const failed = await upload(h, file);
    expect(failed.error).toMatchObject({ kind: 'file', code: 'file-unreadable', retryable: false });
    expect(h.clock.sleeps).toContain(CHECK_AFTER_FAILURE_MS);
    expect(h.types().filter((t) => t === 'retry')).toEqual([]);
    expect(state.pendingReads).toBeGreaterThan(0); // the read itself still has not answered
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

describe('the readability check of each slice', () => {
  it('does not hold back the slice\'s request: a freed lane sends the next slice while the check still reads', async () => {
    const h = makeHarness({ concurrency: 2 });
    h.protocol.sliceSize = 1000;
    const { file, state } = vanishingFile(6000);
    // From the first request on, every read of the file waits (a busy browser's file system).
    let readsDone!: () => void;
    h.protocol.onAnswer = (call) => {
      if (call.op === 'create') state.readsWaitFor = new Promise((resolve) => (readsDone = resolve));
    };
    const { added } = h.queue.add([file]);
    // Two lanes, six slices: every lane was freed and sent again with no check done yet.
    await waitFor(() => h.protocol.session('session-1')?.done === true, 'every slice acknowledged while the checks wait');
    expect(state.pendingReads).toBe(6);
    expect(h.protocol.maxSlicesInFlight).toBe(2);
    const done = await h.until(added[0]!.id, 'done', 'error');
    expect(done.status).toBe('done');
    readsDone();
    await waitFor(() => state.pendingReads === 0, 'the checks to end');
    expect(h.queue.get(added[0]!.id)?.status).toBe('done');
  });

  it('reads once each slice\'s request has left, and slices the file for it once per run', async () => {
    const h = makeHarness({ concurrency: 1 });
    // Over READ_WHOLE_MAX_BYTES: the check reads the last byte through a slice (a smaller file whole).
    h.protocol.sliceSize = 100_000;
    const { file, state } = vanishingFile(300_000);
    const sentAtEachRead: number[] = [];
    let slicesBefore = 0;
    h.protocol.onAnswer = (call) => {
      if (call.op !== 'create') return;
      slicesBefore = state.slices;
      state.onRead = () => sentAtEachRead.push(h.protocol.slices().length);
    };
    const done = await upload(h, file);
    expect(done.status).toBe('done');
    // One check per slice, each read once that slice's request is with the server.
    expect(sentAtEachRead).toEqual([1, 2, 3]);
    // The three bodies, and the one byte every check reads.
    expect(state.slices - slicesBefore).toBe(3 + 1);
  });
});
