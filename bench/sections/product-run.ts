// One upload through the product as a user does it: a page with <vod-uploader>, the file chosen in
// its file input, waited for until vod-upload-success. Used by the upload, memory and resume sections.

import type { Page } from '@playwright/test';
import type { ProductRun } from '../pages/product-page.js';
import { gapsBetween, startGaps, stopGaps, type BrowserHarness, type GapResult, type HeapResult, type PhaseGaps } from '../lib/browser.js';
import { MemoryProbes, type TotalMemoryResult } from '../lib/memory-probe.js';
import { MainThreadProfiler, type ProfileSummary } from '../lib/profile.js';
import { summarizeRequests, type RequestSummary } from '../lib/measure.js';
import { browserUrls, type BenchServer } from '../lib/server.js';

export interface ProductUploadResult {
  /** Choosing the file → vod-upload-success. */
  totalMs: number;
  /** Choosing the file → whole file hashed (the upload can start). */
  hashMs: number;
  /** Hash done → vod-upload-success: the upload alone, hash excluded. */
  uploadMs: number;
  /** Hash done → the first slice acknowledged (the signature, the first request, one slice's round trip). */
  firstAckMs?: number;
  /** The page's performance.now() when the file was added: the origin of `gaps.all.long[].t`. */
  addedAt: number;
  gaps: { hash: PhaseGaps; upload: PhaseGaps; all: GapResult };
  heap?: HeapResult;
  /** With `heap`: the browser's resident memory and measureUserAgentSpecificMemory (memory-probe.ts). */
  memory?: TotalMemoryResult;
  /** With `heap`: the whole file hashed, in ms since the probes started (on their timeline). */
  hashedOnProbeClock?: number;
  /** With `heap`: the reader probe's handoff (worker-stats.ts), on the same timeline. */
  handoffOnProbeClock?: number;
  /** With --profile: the main thread's CPU profile of this run. */
  profile?: ProfileSummary;
  /** Upload requests (FormData POSTs) seen in the page: mean and max in flight, mean duration. */
  requests: RequestSummary;
  /** Hashing workers started and the reader probe's verdict (worker-stats.ts). */
  workers: ProductRun['workers'];
  /** The server completed the file with the sha Node computed. */
  shaOk: boolean;
  bytesReceived: number;
  bytesDuplicate: number;
  sliceRequests: number;
}

/** `origin`: where the browser reaches the server (a link emulator, HTTPS); default the server's own. */
export function productPagePath(server: BenchServer, concurrency: number, folder: string, origin?: string, extra: Record<string, string> = {}): string {
  const urls = browserUrls(server, origin);
  const query = new URLSearchParams({
    ...extra,
    endpoint: urls.endpoint,
    signatureUrl: urls.signatureUrl,
    appid: server.appid,
    bucket: server.bucket,
    folder,
    concurrency: String(concurrency),
  });
  return `/bench/pages/product.html?${query}`;
}

export const fileInput = (page: Page) => page.locator('vod-uploader').locator('input[type=file]');

/**
 * Waits for success (or error), or for half the file uploaded ('half'), half of it hashed
 * ('half-hashed') or all of it hashed ('hashed'), with a timeout that grows with the file: ~10 MiB/s at worst.
 */
export async function waitForProduct(page: Page, size: number, until: 'done' | 'half' | 'half-hashed' | 'hashed' = 'done'): Promise<ProductRun> {
  const timeout = 60_000 + size / (10 * 1024 * 1024) * 1000;
  const finished = page.waitForFunction(
    ([mode, bytes]) => {
      const run = window.__benchProduct;
      if (run.error || run.doneAt !== undefined) return true;
      const half = (bytes as number) / 2;
      if (mode === 'hashed') return run.hashedAt !== undefined;
      if (mode === 'half-hashed') return run.latest !== undefined && run.latest.hashedBytes >= half;
      return mode === 'half' && run.latest !== undefined && run.latest.uploadedBytes >= half;
    },
    [until, size] as const,
    { timeout, polling: 50 },
  );
  await finished.catch(async (error: unknown) => {
    // The uploads and the latest figures first: the timeline would fill the 2000 characters shown.
    const state = await page.evaluate(() => {
      const { timeline, ...run } = window.__benchProduct;
      return { uploads: document.querySelector('vod-uploader')?.uploads, run, timelineEnd: timeline.slice(-3) };
    });
    throw new Error(`the product did not finish: ${String(error)}\n${JSON.stringify(state).slice(0, 2000)}`);
  });
  const run = await page.evaluate(() => window.__benchProduct);
  if (run.error) throw new Error(`the product failed: ${run.error}`);
  return run;
}

export async function runProductUpload(
  harness: BrowserHarness,
  server: BenchServer,
  file: { path: string; size: number; sha: string },
  options: { concurrency: number; heap: boolean; profile?: string; origin?: string },
): Promise<ProductUploadResult> {
  const { page, context } = await harness.open(productPagePath(server, options.concurrency, 'bench', options.origin));
  const probes = options.heap ? await MemoryProbes.attach(page) : undefined;
  try {
    await page.waitForFunction(() => window.__benchProduct !== undefined && customElements.get('vod-uploader') !== undefined);
    await probes?.start();
    // The page's clock when the probes started: their timeline's origin (memory section).
    const probesStartedAt = probes ? await page.evaluate(() => performance.now()) : undefined;
    const profiler = options.profile ? await MainThreadProfiler.start(page) : undefined;
    await startGaps(page);
    await fileInput(page).setInputFiles(file.path);
    const run = await waitForProduct(page, file.size);
    const all = await stopGaps(page);
    const profile = await profiler?.stop(options.profile!);
    const { heap, memory } = (await probes?.stop()) ?? {};
    if (run.addedAt === undefined || run.hashedAt === undefined || run.doneAt === undefined) {
      throw new Error(`the product's timeline is incomplete: ${JSON.stringify(run.timeline.slice(-3))}`);
    }
    const { total } = server.server.stats;
    return {
      totalMs: run.doneAt - run.addedAt,
      hashMs: run.hashedAt - run.addedAt,
      uploadMs: run.doneAt - run.hashedAt,
      firstAckMs: run.firstSliceAt !== undefined ? run.firstSliceAt - run.hashedAt : undefined,
      addedAt: run.addedAt,
      gaps: { hash: gapsBetween(all, run.addedAt, run.hashedAt), upload: gapsBetween(all, run.hashedAt, run.doneAt + 1), all },
      heap,
      memory,
      hashedOnProbeClock: probesStartedAt === undefined ? undefined : run.hashedAt - probesStartedAt,
      handoffOnProbeClock: probesStartedAt === undefined || run.workers.handoffAt === undefined ? undefined : run.workers.handoffAt - probesStartedAt,
      profile,
      requests: summarizeRequests(run.fetch),
      workers: run.workers,
      shaOk: server.server.stats.completedFiles.some((f) => f.sha === file.sha && f.size === file.size),
      bytesReceived: total.bytesReceived,
      bytesDuplicate: total.bytesDuplicate,
      sliceRequests: total.sliceRequests,
    };
  } finally {
    await probes?.detach();
    await context.close();
  }
}
