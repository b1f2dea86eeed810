// Section 2: uploading the file. The product through the element (hash excluded and included, at
// each `--concurrency`) against one raw fetch of the whole file (the ceiling), the SDKs' sequential
// slices, and, at the lanes each product run really used (its measured maximum in flight), the bare
// protocol client and raw slices with no protocol: like against like. At 0 ms and with 50 ms added
// to every upload request (/__raw included).

import type { BrowserHarness } from '../lib/browser.js';
import { figure, mibps, type Figure } from '../lib/measure.js';
import { splitText } from '../lib/sched-probe.js';
import { withServer, type BenchServer } from '../lib/server.js';
import { runBaseline, type BaselineKind, type BaselineRun } from './baseline-run.js';
import { runProductUpload, type ProductUploadResult } from './product-run.js';

export type { BaselineRun } from './baseline-run.js';

export const DELAYS = [0, 50];

export interface UploadConfigResult {
  /** MiB/s of the upload alone (product: hash excluded). */
  speed: Figure;
  /** MiB/s of choose → done, hash included (product only). */
  speedWithHash?: Figure;
  /** Upload requests in flight over the runs: mean of their time-weighted means, and the maximum. */
  inFlight: { mean: number; max: number };
  /** Requests the server answered per HTTP version, over the runs ('1.1', '2.0'). */
  httpVersions: Record<string, number>;
  runs: Array<ProductUploadResult | BaselineRun>;
}

export interface UploadSectionResult {
  fileBytes: number;
  sliceSize: number;
  /** http, or https (HTTP/2 and HTTP/1.1 under a self-signed certificate). */
  scheme: string;
  /**
   * Keyed `product-c3-d0`, `raw-d50`, `sequential-d0`, `parallel-l3-d0`, `rawSlices-l3-d50`
   * (l = lanes, d = ms added per request).
   */
  configs: Record<string, UploadConfigResult>;
  shaOk: boolean;
}

/** Mean of the runs' mean in flight, and the highest in flight seen in any of them. */
export function inFlightOf(runs: Array<{ meanInFlight: number; maxInFlight: number }>): { mean: number; max: number } {
  return {
    mean: runs.reduce((sum, r) => sum + r.meanInFlight, 0) / Math.max(1, runs.length),
    max: Math.max(0, ...runs.map((r) => r.maxInFlight)),
  };
}

export async function runUploadSection(
  harness: BrowserHarness,
  file: { path: string; size: number; sha: string },
  options: { reps: number; discard: boolean; sliceSize?: number; quick: boolean; profile: boolean; concurrencies: number[]; https?: boolean; delays?: number[] },
  log: (line: string) => void,
): Promise<UploadSectionResult> {
  const configs: Record<string, UploadConfigResult> = {};
  let sliceSize = 0;
  let shaOk = true;
  const scheme = options.https ? 'https' : 'http';
  /** Runs `work` against a fresh server, adding the HTTP versions it answered to `versions`. */
  const onServer = <T>(delayMs: number, versions: Record<string, number>, work: (server: BenchServer) => Promise<T>): Promise<T> =>
    withServer({ sliceSize: options.sliceSize, discard: options.discard, delayMs, https: options.https }, async (server) => {
      sliceSize = server.sliceSize;
      const result = await work(server);
      for (const [version, n] of Object.entries(server.server.httpVersions)) versions[version] = (versions[version] ?? 0) + n;
      return result;
    });
  const versionsText = (v: Record<string, number>) => (options.https ? `; HTTP ${Object.entries(v).map(([k, n]) => `${k}: ${n}`).join(', ')}` : '');

  const baselines = async (key: string, kind: BaselineKind, lanes: number, delayMs: number, reps: number): Promise<void> => {
    const runs: BaselineRun[] = [];
    const httpVersions: Record<string, number> = {};
    for (let rep = 0; rep < reps; rep++) {
      const run = await onServer(delayMs, httpVersions, (server) => runBaseline(harness, server, file, kind, lanes));
      if (!run.accepted) {
        shaOk = false;
        log(`  ! ${key} upload not accepted (wrong sha, or bytes missing): ${JSON.stringify(run.last)}`);
      }
      runs.push(run);
    }
    configs[key] = { speed: figure(runs.map((r) => mibps(r.bytes, r.ms))), inFlight: inFlightOf(runs.map((r) => r.requestSummary)), httpVersions, runs };
    log(`  ${scheme} ${key}: ${configs[key].speed.value.toFixed(0)} MiB/s, ${configs[key].inFlight.mean.toFixed(1)} in flight on average (max ${configs[key].inFlight.max})${versionsText(httpVersions)}`);
  };

  for (const delayMs of options.delays ?? DELAYS) {
    // Slices at 50 ms: the request pattern sets the pace; one run says enough about them.
    const sliceReps = delayMs > 0 ? 1 : options.reps;
    // Quick: one raw request at 50 ms tells nothing; over HTTPS only the judged pair (product, raw slices).
    if (!(options.quick && (delayMs > 0 || options.https))) await baselines(`raw-d${delayMs}`, 'raw', 1, delayMs, options.reps);
    if (!(options.quick && options.https)) await baselines(`sequential-d${delayMs}`, 'slices', 1, delayMs, sliceReps);
    const lanesUsed = new Set<number>();
    for (const concurrency of options.concurrencies) {
      const runs: ProductUploadResult[] = [];
      const httpVersions: Record<string, number> = {};
      for (let rep = 0; rep < sliceReps; rep++) {
        runs.push(
          await onServer(delayMs, httpVersions, (server) =>
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
        inFlight: inFlightOf(runs.map((r) => r.requests)),
        httpVersions,
        runs,
      };
      lanesUsed.add(configs[key].inFlight.max);
      log(
        `  ${scheme} ${key}: upload ${configs[key].speed.value.toFixed(0)} MiB/s, with hash ${configs[key].speedWithHash!.value.toFixed(0)} MiB/s, ` +
          `gaps hash ${runs[0]!.gaps.hash.maxGapMs.toFixed(0)} / upload ${runs[0]!.gaps.upload.maxGapMs.toFixed(0)} ms; ` +
          `${runs[0]!.requests.count} requests, ${configs[key].inFlight.mean.toFixed(1)} in flight on average ` +
          `(max ${configs[key].inFlight.max}), ${runs[0]!.requests.meanMs.toFixed(0)} ms each${versionsText(httpVersions)}`,
      );
      const { hash, upload } = runs[0]!.gaps;
      if (upload.maxBusyOrAsleepMs !== undefined) {
        log(`    less waiting for a core: hash ${hash.maxBusyOrAsleepMs!.toFixed(0)} / upload ${upload.maxBusyOrAsleepMs.toFixed(0)} ms; longest upload gap: ${splitText(upload.longest)}`);
      }
      const profile = runs[0]!.profile;
      if (profile) {
        log(`    main thread profile ${profile.file} (${profile.totalMs} ms), top self time:`);
        for (const entry of profile.top) log(`      ${String(entry.selfMs).padStart(6)} ms  ${entry.name}`);
      }
    }
    // Like against like: the bare clients with as many lanes as the product really had in flight.
    for (const lanes of [...lanesUsed].sort((a, b) => a - b)) {
      await baselines(`rawSlices-l${lanes}-d${delayMs}`, 'rawSlices', lanes, delayMs, sliceReps);
      if (lanes > 1 && !(options.quick && options.https)) await baselines(`parallel-l${lanes}-d${delayMs}`, 'slices', lanes, delayMs, sliceReps);
    }
  }
  return { fileBytes: file.size, sliceSize, scheme, configs, shaOk };
}
