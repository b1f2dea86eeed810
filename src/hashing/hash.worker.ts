// The hashing worker: runs hash-core's loops off the main thread, one AbortController per job.
// Several jobs may run at once (their blocks interleave at each await), so a quick sample() or
// sliceSha1() is not stuck behind a long whole-file hash.

import { hashBlob, sampleAndSha1 } from './hash-core.js';
import type { HashRequest, HashResponse } from './messages.js';

/** The part of DedicatedWorkerGlobalScope used here (named locally so Node tests can load this file). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<HashRequest>) => void) | null;
  postMessage(message: HashResponse, transfer: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;
const running = new Map<number, AbortController>();

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
      if (!controller.signal.aborted) post({ type: 'done', id: request.id, sha, wholeSha });
    },
    (error: unknown) => {
      // A cancelled job's caller has already settled: say nothing more about it.
      if (controller.signal.aborted) return;
      const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
      post({ type: 'error', id: request.id, name, message });
    },
  ).finally(() => running.delete(request.id));
};
