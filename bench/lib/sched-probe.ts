// What the renderer's main thread did during each long gap of the page's 10 ms timer (browser.ts's
// gap probe): on a core (JavaScript, GC, style, layout, IPC: busy), runnable but waiting for a core
// (the kernel did not schedule it: the machine's, not the page's), or asleep (idle or blocked, e.g.
// on a synchronous call into the browser). From the kernel's own counters: a worker thread of the
// bench reads /proc/<pid>/task/<pid>/schedstat (time on a core, time waiting on a run queue, both
// cumulative ns) of every renderer's main thread every millisecond or two; a gap's window is then
// the difference of the counters at its two ends, interpolated between samples. The page's
// performance.now() is mapped to the bench's monotonic clock (both CLOCK_MONOTONIC on Linux) by the
// driver round trip with the smallest delay, so each window is off by at most half that round trip.
// Linux only; elsewhere (no /proc) gaps are reported without a split.

import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Page } from '@playwright/test';
import { chromiumPids, processKind } from './memory-probe.js';

/** One long gap split by what the main thread did in it (ms); the three add up to the gap. */
export interface GapSplit {
  onCpuMs: number;
  waitingMs: number;
  asleepMs: number;
  /**
   * Of `asleepMs`, the share the samples in the window saw asleep somewhere other than the thread's
   * usual sleep (its message loop's wait: the mode of its sleeping stack pointer), scaled to ms:
   * blocked inside a task, e.g. in a synchronous call. Undefined when no sample saw it asleep.
   */
  blockedMs?: number;
  /** How far each figure may be off: the sampler's interval at the window's ends. */
  edgeMs: number;
}

/**
 * Samples: [monotonic ms, on-core ms, run-queue wait ms, where it sleeps] per thread, in sampling
 * order. Where it sleeps: 0 running or runnable, the stack pointer of the system call it sleeps in
 * (/proc/<tid>/syscall), or -1 when that cannot be read.
 */
export type Sample = [number, number, number, number];
type Samples = Map<number, Sample[]>;

const SAMPLE_EVERY_MS = 1;

// Plain JavaScript (an eval'd worker: no TypeScript loader in it). Sleeps with Atomics.wait, so the
// sampler's own cost is a few file reads per millisecond; stops when the flag is set, with a last sample
// then, so that every window up to the stop is covered.
const SAMPLER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync, readlinkSync } = require('node:fs');
const { setPriority } = require('node:os');
const { tids, flag, everyMs } = workerData;
// A starved sampler smears its windows; on Linux setpriority takes a thread id. Needs root (or
// CAP_SYS_NICE): otherwise it samples at the default priority, and the edges say how well.
try { setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), -15); } catch {}
const stop = new Int32Array(flag);
const samples = new Map(tids.map((tid) => [tid, []]));
const sample = () => {
  for (const tid of tids) {
    try {
      const [cpu, wait] = readFileSync('/proc/' + tid + '/task/' + tid + '/schedstat', 'utf8').split(' ').map(Number);
      // "running", or "nr arg1..arg6 sp pc" of the call it sleeps in: 0 for running, else its stack pointer.
      let sp = -1;
      try { const call = readFileSync('/proc/' + tid + '/task/' + tid + '/syscall', 'utf8').trim().split(' '); sp = call.length > 8 ? Number(call[7]) : 0; } catch {}
      samples.get(tid).push([Number(process.hrtime.bigint()) / 1e6, cpu / 1e6, wait / 1e6, sp]);
    } catch {}
  }
};
sample();
parentPort.postMessage('ready');
while (Atomics.load(stop, 0) === 0) {
  Atomics.wait(stop, 0, 0, everyMs);
  sample();
}
parentPort.postMessage([...samples]);
`;

/** Counters of `series` at monotonic time `t`, interpolated between the samples around it, and their distance. */
function at(series: Sample[], t: number): { cpu: number; wait: number; spacing: number } | undefined {
  let lo = 0;
  let hi = series.length - 1;
  if (t < series[0]![0] || t > series[hi]![0]) return undefined;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (series[mid]![0] <= t) lo = mid;
    else hi = mid;
  }
  const [t0, c0, w0] = series[lo]!;
  const [t1, c1, w1] = series[hi]!;
  const k = t1 > t0 ? (t - t0) / (t1 - t0) : 0;
  return { cpu: c0 + k * (c1 - c0), wait: w0 + k * (w1 - w0), spacing: t1 - t0 };
}

/**
 * Splits [from, to] (monotonic ms) of one thread's samples; undefined outside the sampled time.
 * `edgeMs`: the longer of the two sample intervals the window's ends fall in: what happened inside
 * them is spread evenly, so the split may be off by up to that much.
 */
export function splitWindow(series: Sample[], from: number, to: number, loopSleeps: ReadonlySet<number> = new Set()): GapSplit | undefined {
  const start = at(series, from);
  const end = at(series, to);
  if (!start || !end) return undefined;
  const length = to - from;
  const onCpuMs = Math.min(length, Math.max(0, end.cpu - start.cpu));
  const waitingMs = Math.min(length - onCpuMs, Math.max(0, end.wait - start.wait));
  const asleepMs = length - onCpuMs - waitingMs;
  const asleep = series.filter(([t, , , sp]) => t >= from && t <= to && sp > 0);
  const blocked = asleep.filter(([, , , sp]) => !loopSleeps.has(sp)).length;
  return {
    onCpuMs,
    waitingMs,
    asleepMs,
    blockedMs: asleep.length ? (asleepMs * blocked) / asleep.length : undefined,
    edgeMs: Math.max(start.spacing, end.spacing),
  };
}

/** Where the thread usually sleeps (its message loop): each stack pointer of 10 % or more of its sleeping samples. */
export function loopSleepsOf(series: Sample[]): Set<number> {
  const counts = new Map<number, number>();
  let asleep = 0;
  for (const [, , , sp] of series) {
    if (sp <= 0) continue;
    asleep++;
    counts.set(sp, (counts.get(sp) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, n]) => n >= 0.1 * asleep).map(([sp]) => sp));
}

export class SchedSampler {
  #offset = 0;
  #alignError = Infinity;

  private constructor(
    private readonly worker: Worker,
    private readonly stopFlag: Int32Array,
    private readonly pageNow: () => Promise<number>,
  ) {}

  /** Starts sampling every renderer's main thread of the bench's browser, or undefined without /proc. */
  static async start(page: Page): Promise<SchedSampler | undefined> {
    if (!existsSync('/proc/self/schedstat')) return undefined;
    const tids = chromiumPids().filter((pid) => processKind(pid) === 'renderer');
    if (!tids.length) return undefined;
    return SchedSampler.sample(tids, async () => (await page.evaluate('performance.now()')) as number);
  }

  /** Samples the threads `tids`; `pageNow` reads the clock the gaps are timed in. */
  static async sample(tids: number[], pageNow: () => Promise<number>): Promise<SchedSampler> {
    const stopFlag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(SAMPLER, { eval: true, workerData: { tids, flag: stopFlag.buffer, everyMs: SAMPLE_EVERY_MS } });
    const sampler = new SchedSampler(worker, stopFlag, pageNow);
    // Gaps are only split from the first sample on: wait for it.
    await new Promise((resolve) => worker.once('message', resolve));
    await sampler.#align();
    return sampler;
  }

  /** page performance.now() + offset = the bench's monotonic ms: the round trip with the least delay. */
  async #align(): Promise<void> {
    for (let i = 0; i < 5; i++) {
      const before = Number(process.hrtime.bigint()) / 1e6;
      const pageNow = await this.pageNow();
      const after = Number(process.hrtime.bigint()) / 1e6;
      if ((after - before) / 2 < this.#alignError) {
        this.#alignError = (after - before) / 2;
        this.#offset = (before + after) / 2 - pageNow;
      }
    }
  }

  /**
   * Stops, and splits each gap (`t`: page time when the gap ended, `gap`: its length) on the renderer
   * whose main thread ran the most meanwhile (the page's: the others are idle).
   */
  async stop(gaps: Array<{ t: number; gap: number }>): Promise<{ splits: Array<GapSplit | undefined>; alignMs: number; offsetMs: number } | undefined> {
    await this.#align();
    const done = new Promise<Array<[number, Sample[]]>>((resolve) => this.worker.once('message', resolve));
    Atomics.store(this.stopFlag, 0, 1);
    Atomics.notify(this.stopFlag, 0);
    const samples: Samples = new Map(await done);
    await this.worker.terminate();
    const ran = (s: Sample[]) => (s.length ? s.at(-1)![1] - s[0]![1] : -1);
    const series = [...samples.values()].sort((a, b) => ran(b) - ran(a))[0];
    if (!series || series.length < 2) return undefined;
    const loop = loopSleepsOf(series);
    return {
      splits: gaps.map((g) => splitWindow(series, g.t - g.gap + this.#offset, g.t + this.#offset, loop)),
      alignMs: this.#alignError,
      offsetMs: this.#offset,
    };
  }
}

/** "12 on a core, 60 waiting for one, 3 asleep (±2)": a gap's split for the report and the log. */
export function splitText(split: GapSplit | undefined): string {
  if (!split) return 'not split';
  const r = (ms: number) => ms.toFixed(0);
  const blocked = split.blockedMs !== undefined && split.blockedMs >= 1 ? `, ${r(split.blockedMs)} of it outside its loop` : '';
  return `${r(split.onCpuMs)} on a core, ${r(split.waitingMs)} waiting for one, ${r(split.asleepMs)} asleep${blocked} (±${r(split.edgeMs)})`;
}
