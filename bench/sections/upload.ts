// Section 2: uploading the file. The product through the element (hash excluded and included,
// at each `--concurrency`, default 1, 3, 6) against one raw fetch of the whole file (the loopback ceiling), the SDKs'
// sequential slices and the bare protocol in 3 lanes, at 0 ms and at 50 ms added per request, and raw
// slices with no protocol at 0 ms (the browser's cost per request).

import { startGaps, stopGaps, type BrowserHarness, type GapResult } from '../lib/browser.js';
import { figure, mibps, type Figure } from '../lib/measure.js';
import { withServer } from '../lib/server.js';
import type { BaselineResult } from '../pages/upload-page.js';
import { runProductUpload, type ProductUploadResult } from './product-run.js';

export const DELAYS = [0, 50];

export interface UploadConfigResult {
  /** MiB/s of the upload alone (product: hash excluded). */
  speed: Figure;
  /** MiB/s of choose → done, hash included (product only). */
  speedWithHash?: Figure;
  runs: Array<ProductUploadResult | BaselineRun>;
}

/**
 * A baseline run, with the main-thread gaps of its page: a page with no UI and almost no script
 * under the same upload load, the control for the product's gaps.
 */
export type BaselineRun = BaselineResult & { gaps: GapResult };

export interface UploadSectionResult {
  fileBytes: number;
  sliceSize: number;
  /** Keyed `product-c3-d0`, `raw-d50`, `sequential-d0`... */
  configs: Record<string, UploadConfigResult>;
  shaOk: boolean;
}

export async function runUploadSection(
  harness: BrowserHarness,
  file: { path: string; size: number; sha: string },
  options: { reps: number; discard: boolean; sliceSize?: number; quick: boolean; profile: boolean; concurrencies: number[] },
  log: (line: string) => void,
): Promise<UploadSectionResult> {
  const configs: Record<string, UploadConfigResult> = {};
  let sliceSize = 0;
  let shaOk = true;

  /** The lanes of the bare parallel-slices client: the product's default concurrency. */
  const PARALLEL_LANES = 3;
  const baseline = async (kind: 'raw' | 'rawSlices' | 'sequential' | 'parallel', delayMs: number): Promise<BaselineRun> =>
    withServer({ sliceSize: options.sliceSize, discard: options.discard, delayMs }, async (server) => {
      sliceSize = server.sliceSize;
      const { page, context } = await harness.open('/bench/pages/upload.html');
      try {
        await page.waitForFunction(() => window.__benchUpload !== undefined);
        await page.locator('#file').setInputFiles(file.path);
        const target = {
          endpoint: server.server.endpoint,
          signatureUrl: server.server.signatureUrl,
          appid: server.appid,
          bucket: server.bucket,
          dir: 'bench',
          sha: file.sha,
        };
        const raw = `${server.server.url}/__raw`;
        await startGaps(page);
        let result: BaselineResult;
        let accepted: boolean;
        switch (kind) {
          case 'raw':
            result = await page.evaluate((url) => window.__benchUpload.raw(url), raw);
            accepted = (result.last as { sha?: string }).sha === file.sha;
            break;
          case 'rawSlices':
            result = await page.evaluate(
              ([url, size, lanes]) => window.__benchUpload.rawSlices(url, size, lanes),
              [raw, server.sliceSize, PARALLEL_LANES] as const,
            );
            accepted = (result.last as { size?: number }).size === file.size; // a sink: every byte arrived, nothing more
            break;
          case 'sequential':
          case 'parallel':
            result = await page.evaluate(
              ([t, lanes]) => window.__benchUpload.slices(t, lanes),
              [target, kind === 'sequential' ? 1 : PARALLEL_LANES] as const,
            );
            accepted = server.server.stats.completedFiles.some((f) => f.sha === file.sha);
            break;
        }
        const gaps = await stopGaps(page);
        if (!accepted) {
          shaOk = false;
          log(`  ! ${kind} upload not accepted (wrong sha, or bytes missing): ${JSON.stringify(result.last)}`);
        }
        return { ...result, gaps };
      } finally {
        await context.close();
      }
    });

  for (const delayMs of DELAYS) {
    for (const kind of ['raw', 'rawSlices', 'sequential', 'parallel'] as const) {
      if (options.quick && kind === 'raw' && delayMs > 0) continue; // one request: 50 ms tells nothing
      if (kind === 'rawSlices' && delayMs > 0) continue; // /__raw has no delay switch: a 0 ms control only
      const runs: BaselineRun[] = [];
      // Slices at 50 ms: the request pattern sets the pace; one run says enough about them.
      const reps = kind !== 'raw' && delayMs > 0 ? 1 : options.reps;
      for (let rep = 0; rep < reps; rep++) runs.push(await baseline(kind, delayMs));
      const key = `${kind}-d${delayMs}`;
      configs[key] = { speed: figure(runs.map((r) => mibps(r.bytes, r.ms))), runs };
      log(`  ${key}: ${configs[key].speed.value.toFixed(0)} MiB/s`);
    }
    for (const concurrency of options.concurrencies) {
      const runs: ProductUploadResult[] = [];
      // At 50 ms the request pattern, not the machine, sets the pace: one run per configuration.
      for (let rep = 0; rep < (delayMs > 0 ? 1 : options.reps); rep++) {
        runs.push(
          await withServer({ sliceSize: options.sliceSize, discard: options.discard, delayMs }, (server) =>
            runProductUpload(harness, server, file, {
              concurrency,
              heap: false,
              profile: options.profile && rep === 0 ? `product-c${concurrency}-d${delayMs}` : undefined,
            }),
          ),
        );
        if (!runs.at(-1)!.shaOk) {
          shaOk = false;
          log(`  ! product c${concurrency} d${delayMs}: the server has no file with the right sha`);
        }
      }
      const key = `product-c${concurrency}-d${delayMs}`;
      configs[key] = {
        speed: figure(runs.map((r) => mibps(file.size, r.uploadMs))),
        speedWithHash: figure(runs.map((r) => mibps(file.size, r.totalMs))),
        runs,
      };
      log(
        `  ${key}: upload ${configs[key].speed.value.toFixed(0)} MiB/s, with hash ${configs[key].speedWithHash!.value.toFixed(0)} MiB/s, ` +
          `gaps hash ${runs[0]!.gaps.hash.maxGapMs.toFixed(0)} / upload ${runs[0]!.gaps.upload.maxGapMs.toFixed(0)} ms; ` +
          `${runs[0]!.requests.count} requests, ${runs[0]!.requests.meanInFlight.toFixed(1)} in flight on average ` +
          `(max ${runs[0]!.requests.maxInFlight}), ${runs[0]!.requests.meanMs.toFixed(0)} ms each`,
      );
      const profile = runs[0]!.profile;
      if (profile) {
        log(`    main thread profile ${profile.file} (${profile.totalMs} ms), top self time:`);
        for (const entry of profile.top) log(`      ${String(entry.selfMs).padStart(6)} ms  ${entry.name}`);
      }
    }
  }
  return { fileBytes: file.size, sliceSize, configs, shaOk };
}
