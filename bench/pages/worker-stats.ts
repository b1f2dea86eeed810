// What the product's hashing workers did, as the page sees it: how many were started, and the
// reader verdict of the probe (the handoff message, hash.worker.ts), for the memory section: a
// `blocks` verdict leaves tens of MiB of read garbage in the worker (bench/README.md, "Memory
// beyond the JS heap"). Wraps `Worker` before the element loads, as fetch-stats.ts wraps fetch.

import type { ProbeSegment, ReaderKind } from '../../src/hashing/file-readers.js';
import type { HashResponse } from '../../src/hashing/messages.js';

export interface WorkerStats {
  /** Hashing workers started (the probe's handoff starts a second one). */
  started: number;
  /** The probe's verdict, from the first handoff (undefined: no probe ran, e.g. a small file). */
  reader?: ReaderKind;
  /** The page's performance.now() at that handoff: the probe's garbage leaves with its worker then. */
  handoffAt?: number;
  /** The segments that verdict was made of, with their times per MiB. */
  probe?: ProbeSegment[];
}

export const workerStats: WorkerStats = { started: 0 };

{
  const Original = globalThis.Worker;
  globalThis.Worker = class extends Original {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      // The element starts other workers too (src/timers/worker-timers.ts): count the hashing ones.
      if (!/hash/i.test(String(url))) return;
      workerStats.started++;
      this.addEventListener('message', (event: MessageEvent<HashResponse>) => {
        if (event.data?.type !== 'handoff' || workerStats.reader) return;
        workerStats.reader = event.data.reader;
        workerStats.handoffAt = performance.now();
        workerStats.probe = event.data.probe;
      });
    }
  };
}
