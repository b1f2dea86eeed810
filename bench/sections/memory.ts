// Section 4: the JS heap of the page (and of its workers) while the product hashes and uploads files
// of growing size. A streaming uploader's heap must not grow with the file.

import type { BrowserHarness } from '../lib/browser.js';
import { benchFile, nodeSha1 } from '../lib/files.js';
import { withServer } from '../lib/server.js';
import { runProductUpload } from './product-run.js';

export interface MemoryRun {
  fileBytes: number;
  before: number;
  peak: number;
  after: number;
  /** peak − before. */
  growth: number;
  workerPeak?: number;
  samples: number;
  totalMs: number;
}

export interface MemorySectionResult {
  runs: MemoryRun[];
  /** Whether performance.measureUserAgentSpecificMemory() exists on the page (needs cross-origin isolation). */
  measureUserAgentSpecificMemory: boolean;
}

export async function runMemorySection(
  harness: BrowserHarness,
  sizes: number[],
  known: Map<number, { path: string; sha: string }>,
  options: { discard: boolean; sliceSize?: number; concurrency: number },
  log: (line: string) => void,
): Promise<MemorySectionResult> {
  const runs: MemoryRun[] = [];
  for (const size of sizes) {
    let entry = known.get(size);
    if (!entry) {
      const path = await benchFile(size, log);
      entry = { path, sha: await nodeSha1(path) };
      known.set(size, entry);
    }
    const file = { path: entry.path, sha: entry.sha, size };
    const result = await withServer({ sliceSize: options.sliceSize, discard: options.discard }, (server) =>
      runProductUpload(harness, server, file, { concurrency: options.concurrency, heap: true }),
    );
    const heap = result.heap!;
    runs.push({
      fileBytes: size,
      before: heap.before,
      peak: heap.peak,
      after: heap.after,
      growth: heap.peak - heap.before,
      workerPeak: heap.workerPeak,
      samples: heap.samples,
      totalMs: result.totalMs,
    });
    log(
      `  ${size / 2 ** 20} MiB: heap ${(heap.before / 2 ** 20).toFixed(1)} → peak ${(heap.peak / 2 ** 20).toFixed(1)} → ` +
        `${(heap.after / 2 ** 20).toFixed(1)} MiB, worker peak ${heap.workerPeak !== undefined ? (heap.workerPeak / 2 ** 20).toFixed(1) : '-'} MiB`,
    );
  }
  const { page, context } = await harness.open('/bench/pages/hash.html');
  const measureUserAgentSpecificMemory = await page.evaluate(
    () => 'measureUserAgentSpecificMemory' in performance && globalThis.crossOriginIsolated === true,
  );
  await context.close();
  return { runs, measureUserAgentSpecificMemory };
}
