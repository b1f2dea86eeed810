// One run of an upload baseline page (bench/pages/upload-page.ts) against a fresh server: one raw
// fetch of the whole file, raw slices with no protocol, or the protocol's slices in N lanes. Used by
// the upload section (loopback, HTTP and HTTPS) and the link section (through the link emulator).

import { startGaps, stopGaps, type BrowserHarness, type GapResult, type HeapResult } from '../lib/browser.js';
import { MemoryProbes, type TotalMemoryResult } from '../lib/memory-probe.js';
import { summarizeRequests, type RequestSummary } from '../lib/measure.js';
import { browserUrls, type BenchServer } from '../lib/server.js';
import type { BaselineResult } from '../pages/upload-page.js';

/** keepingSlices: the slices of `slices`, each also read into memory and kept (the memory control). */
export type BaselineKind = 'raw' | 'rawSlices' | 'slices' | 'keepingSlices';

/**
 * A baseline run, with the main-thread gaps of its page (a page with no UI and almost no script
 * under the same upload load: the control for the product's gaps) and its requests in flight.
 */
export type BaselineRun = BaselineResult & {
  gaps: GapResult;
  lanes: number;
  requestSummary: RequestSummary;
  accepted: boolean;
  /** With `memory`: the JS heap and the total memory while it ran. */
  heap?: HeapResult;
  memory?: TotalMemoryResult;
};

export async function runBaseline(
  harness: BrowserHarness,
  server: BenchServer,
  file: { path: string; size: number; sha: string },
  kind: BaselineKind,
  lanes: number,
  options: { /** Where the browser reaches the server (a link emulator, HTTPS); default its own URL. */ origin?: string; memory?: boolean } = {},
): Promise<BaselineRun> {
  const urls = browserUrls(server, options.origin);
  const { page, context } = await harness.open('/bench/pages/upload.html');
  const probes = options.memory ? await MemoryProbes.attach(page) : undefined;
  try {
    await page.waitForFunction(() => window.__benchUpload !== undefined);
    await page.locator('#file').setInputFiles(file.path);
    await probes?.start();
    const target = { endpoint: urls.endpoint, signatureUrl: urls.signatureUrl, appid: server.appid, bucket: server.bucket, dir: 'bench', sha: file.sha };
    await startGaps(page);
    let result: BaselineResult;
    let accepted: boolean;
    switch (kind) {
      case 'raw':
        result = await page.evaluate((url) => window.__benchUpload.raw(url), urls.raw);
        accepted = (result.last as { sha?: string }).sha === file.sha;
        break;
      case 'rawSlices':
        result = await page.evaluate(([url, size, n]) => window.__benchUpload.rawSlices(url, size, n), [urls.raw, server.sliceSize, lanes] as const);
        accepted = (result.last as { size?: number }).size === file.size; // a sink: every byte arrived, nothing more
        break;
      case 'slices':
      case 'keepingSlices':
        result = await page.evaluate(([t, n, keep]) => window.__benchUpload.slices(t, n, keep), [target, lanes, kind === 'keepingSlices'] as const);
        accepted = server.server.stats.completedFiles.some((f) => f.sha === file.sha);
        break;
    }
    const gaps = await stopGaps(page);
    const measured = await probes?.stop();
    return { ...result, gaps, lanes, requestSummary: summarizeRequests(result.fetch), accepted, ...measured };
  } finally {
    await probes?.detach();
    await context.close();
  }
}
