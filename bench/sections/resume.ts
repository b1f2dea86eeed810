// Section 5: a reload half-way through the upload, then the same file chosen again. Counts what the
// server received twice, the time from choosing the file again to the first new slice, and whether
// the file was hashed again. Then the checkpoint path: a reload half-way through hashing, and how
// many bytes the element hashes again when the file is chosen again.

import { CHECKPOINT_EVERY } from '../../src/hashing/hash-core.js';
import type { BrowserHarness } from '../lib/browser.js';
import { withServer } from '../lib/server.js';
import { fileInput, productPagePath, waitForProduct } from './product-run.js';

export interface ResumeSectionResult {
  fileBytes: number;
  sliceSize: number;
  concurrency: number;
  /** Share of the file the server had acknowledged (per the element) when the page was reloaded. */
  reloadedAtFraction: number;
  /** Slice bytes the server already had and got again (server's bytesDuplicate). */
  bytesDuplicate: number;
  /** Choosing the file again → first snapshot with more uploaded bytes than at the start. */
  msToFirstNewSlice?: number;
  /** Choosing the file again → success. */
  msToDone?: number;
  /** A hashing phase was seen after the reload (from byte 0 or from a checkpoint). */
  rehashed: boolean;
  /** hashedBytes / uploadedBytes the element showed first after the reload. */
  firstHashedBytes?: number;
  firstUploadedBytes?: number;
  completed: boolean;
  /** The reload during hashing. */
  checkpoint?: HashReloadResult;
}

export interface HashReloadResult {
  /** The element's checkpoint interval (hash-core's CHECKPOINT_EVERY). */
  checkpointEvery: number;
  /**
   * hashedBytes the element showed when the page was reloaded. The element reports progress a few
   * times a second, so the worker may have been a little further: the bytes hashed again are at
   * least `hashedAtReload - resumedFrom`, and the true figure exceeds it by at most one report's worth.
   */
  hashedAtReload: number;
  /** hashedBytes the element showed first after the reload: where hashing resumed (0 = from the start). */
  resumedFrom: number;
  /** max(0, hashedAtReload − resumedFrom). */
  bytesHashedAgain: number;
  /** Choosing the file again → whole file hashed. */
  msToHashed?: number;
}

export async function runResumeSection(
  harness: BrowserHarness,
  file: { path: string; size: number; sha: string },
  options: { discard: boolean; sliceSize?: number; concurrency: number },
  log: (line: string) => void,
): Promise<ResumeSectionResult> {
  // 20 ms per request keeps a small file's upload long enough to stop it half-way.
  return withServer({ sliceSize: options.sliceSize, discard: options.discard, delayMs: 20 }, async (server) => {
    const { page, context } = await harness.open(productPagePath(server, options.concurrency, 'bench'));
    try {
      await page.waitForFunction(() => window.__benchProduct !== undefined && customElements.get('vod-uploader') !== undefined);
      await fileInput(page).setInputFiles(file.path);
      const half = await waitForProduct(page, file.size, 'half');
      const reloadedAtFraction = (half.latest?.uploadedBytes ?? 0) / file.size;
      await page.reload();
      await page.waitForFunction(() => window.__benchProduct !== undefined && customElements.get('vod-uploader') !== undefined);
      const selectedAt = await page.evaluate(() => performance.now());
      await fileInput(page).setInputFiles(file.path);
      const run = await waitForProduct(page, file.size);
      const { total } = server.server.stats;
      const result: ResumeSectionResult = {
        fileBytes: file.size,
        sliceSize: server.sliceSize,
        concurrency: options.concurrency,
        reloadedAtFraction,
        bytesDuplicate: total.bytesDuplicate,
        msToFirstNewSlice: run.firstSliceAt !== undefined ? run.firstSliceAt - selectedAt : undefined,
        msToDone: run.doneAt !== undefined ? run.doneAt - selectedAt : undefined,
        rehashed: run.sawHashing,
        firstHashedBytes: run.firstHashedBytes,
        firstUploadedBytes: run.firstUploadedBytes,
        completed: server.server.stats.completedFiles.some((f) => f.sha === file.sha),
      };
      log(
        `  reload at ${(reloadedAtFraction * 100).toFixed(0)}%: ${result.bytesDuplicate} bytes sent twice, ` +
          `first new slice after ${result.msToFirstNewSlice?.toFixed(0) ?? '-'} ms, re-hashed: ${result.rehashed}`,
      );
      return result;
    } finally {
      await context.close();
    }
  });
}

/**
 * The page reloads itself once the element shows half of the file hashed (product-page.ts,
 * `reloadAtHashed`); the file is then chosen again and hashed: how far back the element went (a
 * stored checkpoint, or byte 0).
 */
export async function runHashReload(
  harness: BrowserHarness,
  file: { path: string; size: number },
  options: { discard: boolean; sliceSize?: number; concurrency: number },
  log: (line: string) => void,
): Promise<HashReloadResult> {
  return withServer({ sliceSize: options.sliceSize, discard: options.discard }, async (server) => {
    const { page, context } = await harness.open(productPagePath(server, options.concurrency, 'bench', undefined, { reloadAtHashed: '0.5' }));
    const ready = () => page.waitForFunction(() => window.__benchProduct !== undefined && customElements.get('vod-uploader') !== undefined);
    try {
      await ready();
      const timeout = 60_000 + file.size / (10 * 1024 * 1024) * 1000;
      const reloaded = page.waitForEvent('load', { timeout }).then(() => 'reloaded' as const);
      // A fast hash may end between two polls of the page, before it saw 50 %: then no reload comes.
      const finished = page
        // `?.`: a poll that lands in the reloaded document before its script ran must not throw there.
        .waitForFunction(() => window.__benchProduct?.hashedAt !== undefined, undefined, { timeout, polling: 50 })
        .then(() => 'finished' as const, () => 'reloaded' as const); // the reload destroys its context
      await fileInput(page).setInputFiles(file.path);
      const outcome = await Promise.race([reloaded, finished]);
      reloaded.catch(() => undefined);
      if (outcome === 'finished') {
        log('  the hash finished before the page saw 50 % hashed: no reload, nothing to judge');
        return { checkpointEvery: CHECKPOINT_EVERY, hashedAtReload: 0, resumedFrom: file.size, bytesHashedAgain: 0 };
      }
      await ready();
      const hashedAtReload = Number(await page.evaluate(() => sessionStorage.getItem('benchReloadedAtHashedBytes')));
      const selectedAt = await page.evaluate(() => performance.now());
      await fileInput(page).setInputFiles(file.path);
      const run = await waitForProduct(page, file.size, 'hashed');
      const resumedFrom = run.firstHashedBytes ?? 0;
      const result: HashReloadResult = {
        checkpointEvery: CHECKPOINT_EVERY,
        hashedAtReload,
        resumedFrom,
        bytesHashedAgain: Math.max(0, hashedAtReload - resumedFrom),
        msToHashed: run.hashedAt !== undefined ? run.hashedAt - selectedAt : undefined,
      };
      log(`  reload at ${hashedAtReload} bytes hashed: resumed from ${resumedFrom}, ${result.bytesHashedAgain} bytes hashed again (interval ${CHECKPOINT_EVERY})`);
      return result;
    } finally {
      await context.close();
    }
  });
}
