// The fallback Hasher for environments without Worker (and for Node tests): the same loops as the
// worker, in smaller blocks, yielding to the event loop after each block so the page stays responsive.

import { raceAbort } from '../engine/abort-race.js';
import type { HashCheckpoint, HashOptions, Hasher } from '../engine/types.js';
import { hashBlob, sampleBlob } from './hash-core.js';
import { hashAbortError, toHashError } from './hash-errors.js';

/** 1 MiB hashes in ~2-4 ms: short enough that a block never blocks input for a noticeable time. */
const MAIN_THREAD_BLOCK_SIZE = 1024 * 1024;

/** setTimeout(0) is a real task boundary: awaiting an already-read block would only be a microtask. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export class MainThreadHasher implements Hasher {
  async sha1(file: Blob, options: HashOptions = {}): Promise<string> {
    const { signal } = options;
    try {
      // Rejects as soon as `signal` aborts, as the worker facade does; the loop stops at its next block.
      return await raceAbort(
        signal,
        () =>
          hashBlob(file, {
            signal,
            from: options.from,
            blockSize: MAIN_THREAD_BLOCK_SIZE,
            readAhead: 2,
            onProgress: options.onProgress,
            onCheckpoint: options.onCheckpoint
              ? (offset, state) => options.onCheckpoint!({ offset, state } satisfies HashCheckpoint)
              : undefined,
            betweenBlocks: yieldToEventLoop,
          }),
        { error: hashAbortError },
      );
    } catch (error) {
      throw toHashError(error, signal);
    }
  }

  async sample(file: Blob, signal?: AbortSignal): Promise<string> {
    try {
      return await raceAbort(signal, () => sampleBlob(file, signal), { error: hashAbortError });
    } catch (error) {
      throw toHashError(error, signal);
    }
  }

  async sliceSha1(blob: Blob, signal?: AbortSignal): Promise<string> {
    try {
      const work = (): Promise<string> =>
        hashBlob(blob, { signal, blockSize: MAIN_THREAD_BLOCK_SIZE, betweenBlocks: yieldToEventLoop });
      return await raceAbort(signal, work, { error: hashAbortError });
    } catch (error) {
      throw toHashError(error, signal);
    }
  }
}
