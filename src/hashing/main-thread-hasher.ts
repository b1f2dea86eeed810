// The fallback Hasher where no worker can run (a CSP, no Worker; and Node tests): the same loops as
// the worker, in smaller blocks, yielding to the event loop after each block so the page stays
// responsive. The loops and the SHA-1 kernel load on the first job, as a chunk of their own: pages whose
// worker runs never download them.

import { raceAbort } from '../engine/abort-race.js';
import type { HashCheckpoint, HashOptions, Hasher } from '../engine/types.js';
import { hashAbortError, hashingUnavailable, toHashError } from './hash-errors.js';

type HashCore = typeof import('./hash-core.js');
let core: Promise<HashCore> | undefined;
/** hash-core, loaded once; a failed load (a blocked chunk) is tried again by the next job. */
function loadCore(): Promise<HashCore> {
  core ??= import('./hash-core.js').catch((error: unknown) => {
    core = undefined;
    throw hashingUnavailable(`the main-thread hasher did not load (${error instanceof Error ? error.message : String(error)})`, error);
  });
  return core;
}

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
        async () => {
          const { hashBlob } = await loadCore();
          return hashBlob(file, {
            signal,
            from: options.from,
            blockSize: MAIN_THREAD_BLOCK_SIZE,
            readAhead: 2,
            onProgress: options.onProgress,
            onCheckpoint: options.onCheckpoint
              ? (offset, state) => options.onCheckpoint!({ offset, state } satisfies HashCheckpoint)
              : undefined,
            betweenBlocks: yieldToEventLoop,
          });
        },
        { error: hashAbortError },
      );
    } catch (error) {
      throw toHashError(error, signal);
    }
  }

  async sample(file: Blob, signal?: AbortSignal): Promise<string> {
    try {
      const work = async (): Promise<string> => (await loadCore()).sampleBlob(file, signal);
      return await raceAbort(signal, work, { error: hashAbortError });
    } catch (error) {
      throw toHashError(error, signal);
    }
  }

  async sliceSha1(blob: Blob, signal?: AbortSignal): Promise<string> {
    try {
      const work = async (): Promise<string> =>
        (await loadCore()).hashBlob(blob, { signal, blockSize: MAIN_THREAD_BLOCK_SIZE, betweenBlocks: yieldToEventLoop });
      return await raceAbort(signal, work, { error: hashAbortError });
    } catch (error) {
      throw toHashError(error, signal);
    }
  }
}
