// Section "many files" (issue 14): 100, 1,000 and 10,000 files of 64 KiB and 100 of 8 MiB, chosen at
// once in the element's file input, at 0 and 50 ms added per request. The product (its default
// parallel-files) against itself one file at a time (parallel-files=1) and against a bare client
// sending N files in parallel (many-bare-page.ts). Per run: time per file, the longest main-thread
// gap after the pick (10 ms interval timers), the page's JS heap, the element's shadow DOM nodes.

import type { Locator, Page } from '@playwright/test';
import { DEFAULT_PARALLEL_FILES, MAX_SLICES_IN_FLIGHT } from '../../src/engine/options.js';
import { formatSize, KiB, MiB } from '../lib/args.js';
import { gapsBetween, HeapSampler, startGaps, stopGaps, type BrowserHarness } from '../lib/browser.js';
import { manyFiles } from '../lib/files.js';
import { summarizeRequests, type FetchStats } from '../lib/measure.js';
import { MainThreadProfiler } from '../lib/profile.js';
import { splitText } from '../lib/sched-probe.js';
import { browserUrls, withServer, type BenchServer } from '../lib/server.js';
import { fileInput } from './product-run.js';

export type ManyVariant = 'product' | 'oneAtATime' | 'bare';

export interface ManyRunResult {
  variant: ManyVariant;
  files: number;
  fileBytes: number;
  delayMs: number;
  /** Files sending at once: the element's parallel-files, or the bare client's lanes. */
  parallel: number;
  /** First file added (bare: started) → last file done. */
  totalMs: number;
  perFileMs: number;
  /** Longest 10 ms interval gap after the pick (the input's change event), and how many were over 50 ms. */
  maxGapMs: number;
  gapsOver50: number;
  /** The gaps after the pick less the time the main thread waited for a core (sched-probe.ts), when split. */
  maxBusyOrAsleepMs?: number;
  busyOrAsleepOver50?: number;
  /** Longest gap over the whole run, the pick itself included (the browser making the File objects). */
  maxGapWholeMs: number;
  heapPeakBytes: number;
  heapAfterBytes: number;
  /** Elements in the element's shadow root at the end (product only). */
  shadowNodes?: number;
  requests: number;
  maxInFlight: number;
  /** Upload requests in flight on average over the run (first add → last done), and their mean duration:
   *  below the connections the browser opens, they idle (bench/README.md, "The cost per small file"). */
  meanInFlight: number;
  meanRequestMs: number;
  /** Files the server completed. */
  completed: number;
  errors: string[];
  /** How the files reached the input ('one call', or in chunks). */
  pick: string;
}

export interface ManyConfig {
  files: number;
  fileBytes: number;
  delays: number[];
  variants: ManyVariant[];
}

export interface ManySectionResult {
  runs: ManyRunResult[];
  defaultParallelFiles: number;
}

/** Mean requests in flight over `totalMs` (idle stretches count as 0) and mean request time. */
function requestLoad(fetch: FetchStats, totalMs: number): { meanInFlight: number; meanRequestMs: number } {
  return { meanInFlight: totalMs > 0 ? fetch.inFlightMs / totalMs : 0, meanRequestMs: summarizeRequests(fetch).meanMs };
}

/** The bare client sends as many files at once as the browser opens connections to one host. */
const BARE_PARALLEL = MAX_SLICES_IN_FLIGHT;
/** setInputFiles with more paths than this goes in chunks if one call fails (see bench/README.md). */
const PICK_CHUNK = 1000;
const DEBUG_TIMEOUT = Number(process.env.MANY_TIMEOUT_MS ?? 0);

/** A config's name for `--many-files`: `1000` (64 KiB files) or `100x8MiB`. */
export function manyConfigName(c: Pick<ManyConfig, 'files' | 'fileBytes'>): string {
  return c.fileBytes === 64 * KiB ? String(c.files) : `${c.files}x${formatSize(c.fileBytes).replace(' ', '')}`;
}

export function manyConfigs(quick: boolean): ManyConfig[] {
  if (quick) return [{ files: 50, fileBytes: 64 * KiB, delays: [0], variants: ['product', 'bare'] }];
  const all: ManyVariant[] = ['product', 'oneAtATime', 'bare'];
  return [
    { files: 100, fileBytes: 64 * KiB, delays: [0, 50], variants: all },
    // One at a time on 1,000 files only where it is judged (50 ms): at 0 ms it takes minutes to say little.
    { files: 1000, fileBytes: 64 * KiB, delays: [0], variants: ['product', 'bare'] },
    { files: 1000, fileBytes: 64 * KiB, delays: [50], variants: all },
    // The product alone: one at a time, the bare client and 50 ms would add many minutes and judge nothing.
    { files: 10_000, fileBytes: 64 * KiB, delays: [0], variants: ['product'] },
    { files: 100, fileBytes: 8 * MiB, delays: [0, 50], variants: all },
  ];
}

/** Puts `paths` into the input: one call if the browser takes it, else chunks (each a pick of its own). */
async function pick(input: Locator, paths: string[]): Promise<string> {
  try {
    await input.setInputFiles(paths, { timeout: 120_000 });
    return 'one call';
  } catch (error) {
    if (paths.length <= PICK_CHUNK) throw error;
    for (let i = 0; i < paths.length; i += PICK_CHUNK) await input.setInputFiles(paths.slice(i, i + PICK_CHUNK), { timeout: 120_000 });
    return `chunks of ${PICK_CHUNK} (one call failed: ${String(error).slice(0, 80)})`;
  }
}

function timeoutFor(files: number, bytes: number, delayMs: number): number {
  if (DEBUG_TIMEOUT) return DEBUG_TIMEOUT;
  return 120_000 + files * (3 * (delayMs + 10) + 100) + (files * bytes) / (5 * MiB) * 1000;
}

async function measured<T>(page: Page, work: () => Promise<T>): Promise<{ value: T; heap: { peak: number; after: number }; gaps: Awaited<ReturnType<typeof stopGaps>> }> {
  const heap = await HeapSampler.attach(page);
  try {
    await heap.start();
    await startGaps(page);
    const value = await work();
    const gaps = await stopGaps(page);
    const h = await heap.stop();
    return { value, heap: { peak: h.peak, after: h.after }, gaps };
  } finally {
    await heap.detach();
  }
}

async function runProduct(harness: BrowserHarness, server: BenchServer, paths: string[], config: { fileBytes: number; delayMs: number; parallel: number; variant: ManyVariant; profile?: string }, log: (line: string) => void): Promise<ManyRunResult> {
  const urls = browserUrls(server);
  const query = new URLSearchParams({
    endpoint: urls.endpoint, signatureUrl: urls.signatureUrl, appid: server.appid, bucket: server.bucket,
    folder: 'bench', parallelFiles: String(config.parallel),
  });
  const { page, context } = await harness.open(`/bench/pages/many.html?${query}`);
  try {
    await page.waitForFunction(() => window.__benchMany !== undefined && customElements.get('vod-uploader') !== undefined);
    await page.evaluate(() => window.__benchMany.watchPick());
    const n = paths.length;
    let how = '';
    const profiler = config.profile ? await MainThreadProfiler.start(page) : undefined;
    const m = await measured(page, async () => {
      how = await pick(fileInput(page), paths);
      await page
        .waitForFunction((count) => window.__benchMany.run.done + window.__benchMany.run.errorCount >= count, n, {
          timeout: timeoutFor(n, config.fileBytes, config.delayMs),
          polling: 250,
        })
        .catch(async (error: unknown) => {
          const state = await page.evaluate(() => {
            const uploads = document.querySelector('vod-uploader')?.uploads ?? [];
            const statuses: Record<string, number> = {};
            for (const u of uploads) statuses[u.status] = (statuses[u.status] ?? 0) + 1;
            return { run: { ...window.__benchMany.run, fetch: undefined }, statuses, first: uploads.find((u) => u.status !== 'done') };
          });
          throw new Error(`the product did not finish: ${String(error)}\n${JSON.stringify(state).slice(0, 2000)}`);
        });
    });
    const profile = await profiler?.stop(config.profile!);
    if (profile) {
      log(`    main thread profile ${profile.file} (${profile.totalMs} ms), top self time:`);
      for (const entry of profile.top) log(`      ${String(entry.selfMs).padStart(6)} ms  ${entry.name}`);
    }
    const run = await page.evaluate(() => window.__benchMany.run);
    const shadowNodes = await page.evaluate(() => window.__benchMany.shadowNodes());
    const from = run.pickedAt ?? run.firstAddAt ?? 0;
    const after = gapsBetween(m.gaps, from, (run.lastDoneAt ?? 0) + 1);
    // When each long gap after the pick happened (ms after change, as it ended): to match it to a --profile.
    // A gap that began before the pick counts only its part after it (as gapsBetween does); the
    // sampler's split is of the whole gap, so such a gap is not listed with it.
    const late = (m.gaps.long ?? [])
      .filter((g) => g.t >= from)
      .map((g) => ({ g, part: Math.min(g.gap, g.t - from) }))
      .filter(({ part }) => part > 50)
      .map(({ g, part }) => {
        const detail = part < g.gap ? `the end of a ${g.gap.toFixed(0)} ms gap begun before the pick` : g.split ? splitText(g.split) : undefined;
        return `${part.toFixed(0)} ms ending at +${(g.t - from).toFixed(0)}${detail ? ` (${detail})` : ''}`;
      });
    if (late.length) log(`    gaps over 50 ms after the pick: ${late.slice(0, 20).join(', ')}`);
    const totalMs = (run.lastDoneAt ?? 0) - (run.firstAddAt ?? 0);
    return {
      variant: config.variant, files: n, fileBytes: config.fileBytes, delayMs: config.delayMs, parallel: config.parallel,
      totalMs, perFileMs: totalMs / n, maxGapMs: after.maxGapMs, gapsOver50: after.gapsOver50, maxGapWholeMs: m.gaps.maxGapMs,
      maxBusyOrAsleepMs: after.maxBusyOrAsleepMs, busyOrAsleepOver50: after.busyOrAsleepOver50,
      heapPeakBytes: m.heap.peak, heapAfterBytes: m.heap.after, shadowNodes,
      requests: run.fetch.requests, maxInFlight: run.fetch.maxInFlight, ...requestLoad(run.fetch, totalMs),
      completed: server.server.stats.completedFiles.length, errors: run.errors, pick: how,
    };
  } finally {
    await context.close();
  }
}

async function runBare(harness: BrowserHarness, server: BenchServer, paths: string[], config: { fileBytes: number; delayMs: number }): Promise<ManyRunResult> {
  const urls = browserUrls(server);
  const { page, context } = await harness.open('/bench/pages/many-bare.html');
  try {
    await page.waitForFunction(() => window.__benchManyBare !== undefined);
    const target = { endpoint: urls.endpoint, signatureUrl: urls.signatureUrl, appid: server.appid, bucket: server.bucket, dir: 'bench' };
    // The pick inside the measurement: its whole-run gap is the browser's own cost of the pick.
    let how = '';
    const m = await measured(page, async () => {
      how = await pick(page.locator('#files'), paths);
      return page.evaluate(([t, lanes]) => window.__benchManyBare.run(t, lanes), [target, BARE_PARALLEL] as const);
    });
    const r = m.value;
    const after = gapsBetween(m.gaps, r.startedAt, r.startedAt + r.ms + 1);
    return {
      variant: 'bare', files: r.files, fileBytes: config.fileBytes, delayMs: config.delayMs, parallel: BARE_PARALLEL,
      totalMs: r.ms, perFileMs: r.ms / r.files, maxGapMs: after.maxGapMs, gapsOver50: after.gapsOver50, maxGapWholeMs: m.gaps.maxGapMs,
      maxBusyOrAsleepMs: after.maxBusyOrAsleepMs, busyOrAsleepOver50: after.busyOrAsleepOver50,
      heapPeakBytes: m.heap.peak, heapAfterBytes: m.heap.after,
      requests: r.requests, maxInFlight: r.fetch.maxInFlight, ...requestLoad(r.fetch, r.ms),
      completed: server.server.stats.completedFiles.length, errors: [], pick: how,
    };
  } finally {
    await context.close();
  }
}

export async function runManyFilesSection(
  harness: BrowserHarness,
  options: {
    quick: boolean;
    discard: boolean;
    sliceSize?: number;
    profile?: boolean;
    /** Extra parallel-files values for the 64 KiB runs at 50 ms (choosing the default). */
    parallels?: number[];
    /** Only these configs (manyConfigName), e.g. 100,1000: the whole section takes long on a busy machine. */
    only?: string[];
  },
  log: (line: string) => void,
): Promise<ManySectionResult> {
  const runs: ManyRunResult[] = [];
  for (const config of manyConfigs(options.quick).filter((c) => !options.only || options.only.includes(manyConfigName(c)))) {
    const paths = await manyFiles(config.files, config.fileBytes, log);
    for (const delayMs of config.delays) {
      const plan: Array<{ variant: ManyVariant; parallel: number }> = config.variants.map((variant) => ({
        variant,
        parallel: variant === 'oneAtATime' ? 1 : variant === 'bare' ? BARE_PARALLEL : DEFAULT_PARALLEL_FILES,
      }));
      // --many-parallel: where a different default would show (the judged small files, and the big files it must not slow).
      if ((config.fileBytes === 64 * KiB && delayMs === 50) || config.fileBytes > 64 * KiB) {
        for (const parallel of options.parallels ?? []) if (parallel !== DEFAULT_PARALLEL_FILES) plan.push({ variant: 'product', parallel });
      }
      for (const { variant, parallel } of plan) {
        const result = await withServer({ discard: options.discard, sliceSize: options.sliceSize, delayMs }, (server) =>
          variant === 'bare'
            ? runBare(harness, server, paths, { fileBytes: config.fileBytes, delayMs })
            : runProduct(harness, server, paths, { fileBytes: config.fileBytes, delayMs, parallel, variant, profile: options.profile ? `many-${variant}-p${parallel}-${config.files}-d${delayMs}` : undefined }, log),
        );
        runs.push(result);
        log(
          `  ${variant} p${parallel} ${config.files} × ${formatSize(config.fileBytes)} d${delayMs}: ${result.perFileMs.toFixed(1)} ms/file ` +
            `(${(result.totalMs / 1000).toFixed(1)} s), gap ${result.maxGapMs.toFixed(0)} ms (whole run ${result.maxGapWholeMs.toFixed(0)}` +
            `${result.maxBusyOrAsleepMs !== undefined ? `; less waiting for a core ${result.maxBusyOrAsleepMs.toFixed(0)}` : ''}), ` +
            `heap ${(result.heapPeakBytes / MiB).toFixed(0)} MiB, ${result.shadowNodes ?? '–'} shadow nodes, ${result.completed}/${config.files} completed, ` +
            `max ${result.maxInFlight} in flight (mean ${result.meanInFlight.toFixed(2)}, ${result.meanRequestMs.toFixed(0)} ms a request); pick: ${result.pick}` +
            (result.errors.length ? `; errors: ${result.errors.join(' | ')}` : ''),
        );
      }
    }
  }
  return { runs, defaultParallelFiles: DEFAULT_PARALLEL_FILES };
}
