// Section 4: memory while the product hashes and uploads files of growing size: the JS heap of the
// page and its workers, and beyond it what the machine pays: the resident size (PSS) of all the
// browser's processes and measureUserAgentSpecificMemory() (the pages are cross-origin isolated).
// A control, a bare client that keeps every slice it sends, proves the probes see a leak; the bare
// client that keeps nothing tells what the browser itself pays for the same slice fetches.

import type { ProbeSegment } from '../../src/hashing/file-readers.js';
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
  /** The reader probe's handoff (its worker, with the probe's block reads, ends), on the same timeline. */
  handoffAt?: number;
  workers?: { started: number; reader?: string; probe?: ProbeSegment[] };
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

/** The process kinds whose PSS moved by 1 MiB or more at the peak, with that growth: where it sits. */
export function kindsAtPeak(run: MemoryRun): string {
  const { peakByKind, beforeByKind } = run.memory.processes;
  return Object.entries(peakByKind).map(([kind, bytes]) => [kind, bytes - (beforeByKind[kind] ?? 0)] as const).filter(([, d]) => Math.abs(d) >= MiB).map(([kind, d]) => `${kind} ${mib(d)}`).join(', ');
}

const TIMELINE_STEP_MS = 500;

/** When the PSS peak was sampled, in ms on the memory timeline (undefined: no sample above `before`). */
export function peakAt(run: MemoryRun): number | undefined {
  return run.memory.timeline.find(([, pss]) => pss === run.memory.processes.peak)?.[0];
}

/**
 * Where and when the judged peak sits: its time against the probe's handoff and the hash's end, and
 * the processes that moved by 1 MiB or more at that sample (a spike of the probe's block reads before
 * the handoff is the hashing worker's; a peak late in the upload, the page's and the browser's fetches).
 */
export function peakWhere(run: MemoryRun): string {
  const t = peakAt(run);
  const against = (ms: number | undefined, what: string) => (ms === undefined || t === undefined ? [] : [`${(Math.abs(t - ms) / 1000).toFixed(2)} s ${t < ms ? 'before' : 'after'} ${what}`]);
  const when = t === undefined ? 'no sample above before' : [`at ${(t / 1000).toFixed(2)} s`, ...against(run.handoffAt, "the probe's handoff"), ...against(run.hashedAt, "the hash's end")].join(', ');
  return `${when}; ${kindsAtPeak(run) || 'no process moved by 1 MiB'}; ${byBacking(run, 'peakParts')}`;
}

/**
 * When the memory came: the `anon` PSS growth every TIMELINE_STEP_MS of the run, with the probe's
 * handoff and the end of the hash marked, the hashing workers started and the reader probe's verdict
 * (a `blocks` verdict leaves its read garbage in the worker: bench/README.md, "Memory beyond the JS
 * heap"). The sample of the PSS peak is always shown, as `[peak t s: anon, PSS growth]`: a spike shorter than the
 * step (the probe's block reads before the handoff) would fall between the points.
 */
export function anonOverTime(run: MemoryRun): string {
  const { beforeParts, before: pssBefore } = run.memory.processes;
  const points: string[] = [];
  let next = 0;
  const marks = [
    { at: run.handoffAt, label: '| handoff |' },
    { at: run.hashedAt, label: '| hashed |' },
  ].filter((mark): mark is { at: number; label: string } => mark.at !== undefined);
  const peakT = peakAt(run);
  for (const [t, pss, anon] of run.memory.timeline) {
    const isPeak = t === peakT;
    if (t < next && !isPeak) continue;
    while (marks.length && t >= marks[0]!.at) points.push(marks.shift()!.label);
    points.push(isPeak ? `[peak ${(t / 1000).toFixed(2)} s: ${mib(anon - beforeParts.anon)}, PSS ${mib(pss - pssBefore)}]` : mib(anon - beforeParts.anon));
    if (t >= next) next = t + TIMELINE_STEP_MS;
  }
  const probe = run.workers?.probe?.map((s) => `${s.reader} ${s.msPerMiB.toFixed(2)}`).join(', ');
  const workers = run.workers ? `${run.workers.started} hashing worker(s), reader verdict ${run.workers.reader ?? 'none (no probe)'}${probe ? ` (ms per MiB: ${probe})` : ''}; ` : '';
  const seconds = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(2));
  return `${workers}handoff at ${seconds(run.handoffAt)} s, hashed at ${seconds(run.hashedAt)} s on the timeline below, success ${(run.totalMs / 1000).toFixed(1)} s after the file was added; anon growth (MiB) every ${TIMELINE_STEP_MS} ms: ${points.join(' ')}`;
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
    `each backing's own peak growth: ${byBacking(run, 'partPeaks')}; PSS growth by process at the peak: ${kindsAtPeak(run)}`;

  const runs: MemoryRun[] = [];
  for (const size of sizes) {
    const file = await fileOf(size);
    const result = await withServer({ sliceSize: options.sliceSize, discard: options.discard }, (server) =>
      runProductUpload(harness, server, file, { concurrency: options.concurrency, heap: true }),
    );
    runs.push({ ...toRun(size, result.heap!, result.memory!, result.totalMs), hashedAt: result.hashedOnProbeClock, handoffAt: result.handoffOnProbeClock, workers: result.workers });
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
