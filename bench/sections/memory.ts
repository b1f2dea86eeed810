// Section 4: memory while the product hashes and uploads files of growing size: the JS heap of the
// page and its workers, and beyond it what the machine pays: the resident size (PSS) of all the
// browser's processes and measureUserAgentSpecificMemory() (the pages are cross-origin isolated).
// A control, a bare client that keeps every slice it sends, proves the probes see a leak; the bare
// client that keeps nothing tells what the browser itself pays for the same slice fetches.

import { MiB } from '../lib/args.js';
import type { BrowserHarness, HeapResult } from '../lib/browser.js';
import { benchFile, nodeSha1 } from '../lib/files.js';
import type { TotalMemoryResult } from '../lib/memory-probe.js';
import { withServer } from '../lib/server.js';
import { runBaseline } from './baseline-run.js';
import { runProductUpload } from './product-run.js';

export interface MemoryRun {
  fileBytes: number;
  /** JS heap (CDP JSHeapUsedSize). */
  before: number;
  peak: number;
  after: number;
  /** peak − before. */
  growth: number;
  workerPeak?: number;
  samples: number;
  totalMs: number;
  /** The product's runs: the whole file hashed, in ms on the memory timeline, and its hashing workers (worker-stats.ts). */
  hashedAt?: number;
  workers?: { started: number; reader?: string };
  /** Summed PSS of the browser's processes: peak − before. */
  processGrowth: number;
  /** measureUserAgentSpecificMemory: after − before, both after a GC: what stays (undefined when not available). */
  userAgentGrowth?: number;
  memory: TotalMemoryResult;
}

export interface MemorySectionResult {
  runs: MemoryRun[];
  /** The leaky control: the bytes it kept (the file) and what the probes saw. */
  control?: MemoryRun & { keptBytes: number };
  /** The bare client (no hashing, no UI): the protocol's slices of the smallest file in the same lanes, nothing kept. */
  bare?: MemoryRun & { lanes: number };
  /** Whether performance.measureUserAgentSpecificMemory() answered (needs cross-origin isolation). */
  measureUserAgentSpecificMemory: boolean;
}

/** The control keeps at least this much, so that a working probe must see it over the 64 MiB target. */
const CONTROL_MIN_BYTES = 128 * MiB;

function toRun(fileBytes: number, heap: HeapResult, memory: TotalMemoryResult, totalMs: number): MemoryRun {
  return {
    fileBytes,
    before: heap.before,
    peak: heap.peak,
    after: heap.after,
    growth: heap.peak - heap.before,
    workerPeak: heap.workerPeak,
    samples: heap.samples,
    totalMs,
    processGrowth: memory.processes.peak - memory.processes.before,
    userAgentGrowth: memory.userAgent ? memory.userAgent.peak - memory.userAgent.before : undefined,
    memory,
  };
}

const mib = (bytes: number | undefined): string => (bytes === undefined ? '-' : (bytes / MiB).toFixed(1));

/** The PSS growth by backing (memory-probe.ts PssParts): at the PSS peak, or each backing's own peak. */
export function byBacking(run: MemoryRun, at: 'peakParts' | 'partPeaks'): string {
  const { beforeParts } = run.memory.processes;
  return (['anon', 'shmem', 'file'] as const).map((part) => `${part} ${mib(run.memory.processes[at][part] - beforeParts[part])}`).join(', ');
}

const TIMELINE_STEP_MS = 500;

/**
 * When the memory came: the `anon` PSS growth every TIMELINE_STEP_MS of the run, with the end of the
 * hash marked, the hashing workers started and the reader probe's verdict (a `blocks` verdict leaves
 * its read garbage in the worker: bench/README.md, "Memory beyond the JS heap").
 */
export function anonOverTime(run: MemoryRun): string {
  const before = run.memory.processes.beforeParts.anon;
  const points: string[] = [];
  let next = 0;
  let hashMarked = run.hashedAt === undefined;
  for (const [t, , anon] of run.memory.timeline) {
    if (t < next) continue;
    if (!hashMarked && t >= run.hashedAt!) {
      points.push('| hashed |');
      hashMarked = true;
    }
    points.push(mib(anon - before));
    next = t + TIMELINE_STEP_MS;
  }
  const workers = run.workers ? `${run.workers.started} hashing worker(s), reader verdict ${run.workers.reader ?? 'none (no probe)'}; ` : '';
  return `${workers}hashed at ${run.hashedAt === undefined ? '-' : (run.hashedAt / 1000).toFixed(1)} s on the timeline below, success ${(run.totalMs / 1000).toFixed(1)} s after the file was added; anon growth (MiB) every ${TIMELINE_STEP_MS} ms: ${points.join(' ')}`;
}

export async function runMemorySection(
  harness: BrowserHarness,
  sizes: number[],
  known: Map<number, { path: string; sha: string }>,
  options: { discard: boolean; sliceSize?: number; concurrency: number },
  log: (line: string) => void,
): Promise<MemorySectionResult> {
  const fileOf = async (size: number) => {
    let entry = known.get(size);
    if (!entry) {
      const path = await benchFile(size, log);
      entry = { path, sha: await nodeSha1(path) };
      known.set(size, entry);
    }
    return { path: entry.path, sha: entry.sha, size };
  };
  const describe = (run: MemoryRun) =>
    `heap growth ${mib(run.growth)} MiB (after a GC ${mib(run.after - run.before)}: what stays), worker peak ${mib(run.workerPeak)} MiB; processes (PSS) ${mib(run.memory.processes.before)} → peak ` +
    `${mib(run.memory.processes.peak)} → ${mib(run.memory.processes.after)} MiB (growth ${mib(run.processGrowth)}); ` +
    `measureUserAgentSpecificMemory retained ${mib(run.userAgentGrowth)} MiB; PSS growth at the peak by backing: ${byBacking(run, 'peakParts')}; ` +
    `each backing's own peak growth: ${byBacking(run, 'partPeaks')}; PSS growth by process at the peak: ` +
    Object.entries(run.memory.processes.peakByKind).map(([kind, bytes]) => `${kind} ${mib(bytes - (run.memory.processes.beforeByKind[kind] ?? 0))}`).join(', ');

  const runs: MemoryRun[] = [];
  for (const size of sizes) {
    const file = await fileOf(size);
    const result = await withServer({ sliceSize: options.sliceSize, discard: options.discard }, (server) =>
      runProductUpload(harness, server, file, { concurrency: options.concurrency, heap: true }),
    );
    runs.push({ ...toRun(size, result.heap!, result.memory!, result.totalMs), hashedAt: result.hashedOnProbeClock, workers: result.workers });
    log(`  ${size / MiB} MiB: ${describe(runs.at(-1)!)}`);
    log(`    ${anonOverTime(runs.at(-1)!)}`);
  }

  const baselineRun = async (file: { path: string; size: number; sha: string }, kind: 'slices' | 'keepingSlices') => {
    const run = await withServer({ sliceSize: options.sliceSize, discard: options.discard }, (server) =>
      runBaseline(harness, server, file, kind, options.concurrency, { memory: true }),
    );
    return toRun(file.size, run.heap!, run.memory!, run.ms);
  };
  const bareFile = await fileOf(Math.min(...sizes));
  const bare = { ...(await baselineRun(bareFile, 'slices')), lanes: options.concurrency };
  log(`  bare client (the protocol's slices, ${bare.lanes} lanes, nothing kept), ${bareFile.size / MiB} MiB: ${describe(bare)}`);
  const controlFile = await fileOf(Math.max(CONTROL_MIN_BYTES, Math.min(...sizes)));
  const control = { ...(await baselineRun(controlFile, 'keepingSlices')), keptBytes: controlFile.size };
  log(`  control (keeps every slice), ${controlFile.size / MiB} MiB: ${describe(control)}`);
  return { runs, control, bare, measureUserAgentSpecificMemory: runs.some((r) => r.userAgentGrowth !== undefined) };
}
