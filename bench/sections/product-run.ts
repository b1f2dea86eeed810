// One upload through the product as a user does it: a page with <vod-uploader>, the file chosen in
// its file input, waited for until vod-upload-success. Used by the upload, memory and resume sections.

import type { Page } from '@playwright/test';
import type { ProductRun } from '../pages/product-page.js';
import { gapsBetween, HeapSampler, startGaps, stopGaps, type BrowserHarness, type GapResult, type HeapResult } from '../lib/browser.js';
import { MainThreadProfiler, type ProfileSummary } from '../lib/profile.js';
import type { BenchServer } from '../lib/server.js';

export interface ProductUploadResult {
  /** Choosing the file → vod-upload-success. */
  totalMs: number;
  /** Choosing the file → whole file hashed (the upload can start). */
  hashMs: number;
  /** Hash done → vod-upload-success: the upload alone, hash excluded. */
  uploadMs: number;
  gaps: { hash: { maxGapMs: number; gapsOver50: number }; upload: { maxGapMs: number; gapsOver50: number }; all: GapResult };
  heap?: HeapResult;
  /** With --profile: the main thread's CPU profile of this run. */
  profile?: ProfileSummary;
  /** Upload requests (FormData POSTs) seen in the page: mean and max in flight, mean duration. */
  requests: { count: number; meanInFlight: number; maxInFlight: number; meanMs: number };
  /** The server completed the file with the sha Node computed. */
  shaOk: boolean;
  bytesReceived: number;
  bytesDuplicate: number;
  sliceRequests: number;
}

export function productPagePath(server: BenchServer, concurrency: number, folder: string): string {
  const query = new URLSearchParams({
    endpoint: server.server.endpoint,
    signatureUrl: server.server.signatureUrl,
    appid: server.appid,
    bucket: server.bucket,
    folder,
    concurrency: String(concurrency),
  });
  return `/bench/pages/product.html?${query}`;
}

export const fileInput = (page: Page) => page.locator('vod-uploader').locator('input[type=file]');

/** Waits for success (or error) with a timeout that grows with the file: ~10 MiB/s at worst. */
export async function waitForProduct(page: Page, size: number, until: 'done' | 'half' = 'done'): Promise<ProductRun> {
  const timeout = 60_000 + size / (10 * 1024 * 1024) * 1000;
  const finished = page.waitForFunction(
    ([mode, bytes]) => {
      const run = window.__benchProduct;
      if (run.error || run.doneAt !== undefined) return true;
      return mode === 'half' && run.latest !== undefined && run.latest.uploadedBytes >= (bytes as number) / 2;
    },
    [until, size] as const,
    { timeout, polling: 50 },
  );
  await finished.catch(async (error: unknown) => {
    const state = await page.evaluate(() => ({ run: window.__benchProduct, uploads: document.querySelector('vod-uploader')?.uploads }));
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
  options: { concurrency: number; heap: boolean; profile?: string },
): Promise<ProductUploadResult> {
  const { page, context } = await harness.open(productPagePath(server, options.concurrency, 'bench'));
  const sampler = options.heap ? await HeapSampler.attach(page) : undefined;
  try {
    await page.waitForFunction(() => window.__benchProduct !== undefined && customElements.get('vod-uploader') !== undefined);
    await sampler?.start();
    const profiler = options.profile ? await MainThreadProfiler.start(page) : undefined;
    await startGaps(page);
    await fileInput(page).setInputFiles(file.path);
    const run = await waitForProduct(page, file.size);
    const all = await stopGaps(page);
    const profile = await profiler?.stop(options.profile!);
    const heap = await sampler?.stop();
    if (run.addedAt === undefined || run.hashedAt === undefined || run.doneAt === undefined) {
      throw new Error(`the product's timeline is incomplete: ${JSON.stringify(run.timeline.slice(-3))}`);
    }
    const { total } = server.server.stats;
    return {
      totalMs: run.doneAt - run.addedAt,
      hashMs: run.hashedAt - run.addedAt,
      uploadMs: run.doneAt - run.hashedAt,
      gaps: { hash: gapsBetween(all, run.addedAt, run.hashedAt), upload: gapsBetween(all, run.hashedAt, run.doneAt + 1), all },
      heap,
      profile,
      requests: {
        count: run.fetch.requests,
        meanInFlight: run.fetch.busyMs > 0 ? run.fetch.inFlightMs / run.fetch.busyMs : 0,
        maxInFlight: run.fetch.maxInFlight,
        meanMs: run.fetch.requests > 0 ? run.fetch.totalRequestMs / run.fetch.requests : 0,
      },
      shaOk: server.server.stats.completedFiles.some((f) => f.sha === file.sha && f.size === file.size),
      bytesReceived: total.bytesReceived,
      bytesDuplicate: total.bytesDuplicate,
      sliceRequests: total.sliceRequests,
    };
  } finally {
    await sampler?.detach();
    await context.close();
  }
}
