// The hashing worker: runs hash-core's loops off the main thread, one AbortController per job.
// Several jobs may run at once (their blocks interleave at each await), so a quick sample() or
// sliceSha1() is not stuck behind a long whole-file hash.

import { hashBlob, sampleAndSha1 } from './hash-core.js';
import { blockReads, RETIRE_AFTER_BLOCK_BYTES, type ProbeSegment, type ReaderKind } from './file-readers.js';
import type { HashRequest, HashResponse } from './messages.js';

/** The part of DedicatedWorkerGlobalScope used here (named locally so Node tests can load this file). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<HashRequest>) => void) | null;
  postMessage(message: HashResponse, transfer: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;
const running = new Map<number, AbortController>();

/**
 * Thrown by `onProbed` to stop a whole-file hash once the reader probe has run, so that the rest goes
 * on in a fresh worker. The probe's block reads leave up to 2 × PROBE_SEGMENT (+ the reads in flight)
 * of ArrayBuffers that only a GC frees, and V8 starts one for such memory only after some 64 MiB of
 * it: with the stream's one reused buffer after the probe, none came, and the garbage stayed in the
 * renderer for the whole hash and the 10 s idle after it (bench/README.md, "Memory"). Terminating the
 * worker frees it at once; the hash state and the verdict travel to the next worker.
 */
class Handoff {
  constructor(readonly offset: number, readonly state: Uint8Array, readonly reader: ReaderKind, readonly probe: ProbeSegment[]) {}
}

function post(message: HashResponse, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

async function run(request: Exclude<HashRequest, { type: 'cancel' }>, signal: AbortSignal): Promise<{ sha: string; wholeSha?: string }> {
  const { id } = request;
  switch (request.type) {
    case 'sha1':
      return { sha: await hashBlob(request.file, {
        signal,
        from: request.from,
        ...request.tuning,
        onProgress: (bytes) => post({ type: 'progress', id, bytes }),
        onCheckpoint: (offset, state) =>
          post({ type: 'checkpoint', id, offset, state }, [state.buffer as ArrayBuffer]),
        // Only when no other job runs here: terminating this worker would end them too.
        onProbed: (offset, state, reader, probe) => {
          if (running.size === 1) throw new Handoff(offset, state, reader, probe);
        },
      }) };
    case 'sample': {
      const { sample, sha } = await sampleAndSha1(request.file, signal);
      return { sha: sample, wholeSha: sha };
    }
    case 'slice':
      return { sha: await hashBlob(request.blob, { signal }) };
  }
}

scope.onmessage = (event: MessageEvent<HashRequest>) => {
  const request = event.data;
  if (request.type === 'cancel') {
    running.get(request.id)?.abort();
    running.delete(request.id);
    return;
  }
  const controller = new AbortController();
  running.set(request.id, controller);
  run(request, controller.signal).then(
    ({ sha, wholeSha }) => {
      if (controller.signal.aborted) return;
      const retire = blockReads.bytes >= RETIRE_AFTER_BLOCK_BYTES ? { retire: true as const } : {};
      post({ type: 'done', id: request.id, sha, wholeSha, ...retire });
    },
    (error: unknown) => {
      // A cancelled job's caller has already settled: say nothing more about it.
      if (controller.signal.aborted) return;
      if (error instanceof Handoff) {
        post({ type: 'handoff', id: request.id, offset: error.offset, state: error.state, reader: error.reader, probe: error.probe }, [error.state.buffer as ArrayBuffer]);
        return;
      }
      const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
      post({ type: 'error', id: request.id, name, message });
    },
  ).finally(() => running.delete(request.id));
};
