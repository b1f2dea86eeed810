// What the renderer's main thread did during each long gap of the page's 10 ms timer (browser.ts's
// gap probe): on a core (JavaScript, GC, style, layout, IPC: busy), runnable but waiting for a core
// (the kernel did not schedule it: the machine's, not the page's), or asleep (idle or blocked, e.g.
// on a synchronous call into the browser). From the kernel: a worker thread of the bench reads, for
// every renderer's main thread, its time on a core (/proc/<pid>/task/<pid>/schedstat, cumulative,
// brought up to date at every tick and switch) and its state (/proc/…/stat: R runnable or running,
// else asleep) every millisecond. A gap's window: the time on a core is the counter's difference at
// its two ends (interpolated between samples); runnable time is the window's time whose sample said
// R; waiting = runnable − on a core. Not schedstat's run-queue delay: the kernel adds a wait to it
// only when the wait ends, often after the window, which made busy threads look asleep.
// The page's performance.now() is mapped to the bench's monotonic clock (both CLOCK_MONOTONIC on
// Linux) by the driver round trip with the smallest delay, so each window is off by at most half that
// round trip. Linux only; elsewhere (no /proc) gaps are reported without a split.

import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Page } from '@playwright/test';
import { chromiumPids, processKind } from './memory-probe.js';

/** One long gap split by what the main thread did in it (ms); the three add up to the gap. */
export interface GapSplit {
  onCpuMs: number;
  waitingMs: number;
  asleepMs: number;
  /** How far each figure may be off: the sampler's interval at the window's ends. */
  edgeMs: number;
}

/** Samples: [monotonic ms, on-core ms, 1 runnable or running / 0 asleep] per thread, in sampling order. */
export type Sample = [number, number, number];
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
      const cpu = Number(readFileSync('/proc/' + tid + '/task/' + tid + '/schedstat', 'utf8').split(' ')[0]);
      const stat = readFileSync('/proc/' + tid + '/task/' + tid + '/stat', 'utf8');
      const state = stat[stat.lastIndexOf(')') + 2];
      samples.get(tid).push([Number(process.hrtime.bigint()) / 1e6, cpu / 1e6, state === 'R' ? 1 : 0]);
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

/** Index of the last sample at or before `t` (t within the samples). */
function before(series: Sample[], t: number): number {
  let lo = 0;
  let hi = series.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (series[mid]![0] <= t) lo = mid;
    else hi = mid;
  }
  return series[hi]![0] <= t ? hi : lo;
}

/** The on-core counter at `t`, interpolated between the samples around it. */
function cpuAt(series: Sample[], t: number): number {
  const i = before(series, t);
  const [t0, c0] = series[i]!;
  const [t1, c1] = series[Math.min(i + 1, series.length - 1)]!;
  return t1 > t0 ? c0 + ((t - t0) / (t1 - t0)) * (c1 - c0) : c0;
}

/**
 * Splits [from, to] (monotonic ms) of one thread's samples; undefined outside the sampled time.
 * Each sample's state holds until the next sample. `edgeMs`: the longest sample interval the window
 * touches: each figure may be off by up to that much.
 */
export function splitWindow(series: Sample[], from: number, to: number): GapSplit | undefined {
  if (series.length < 2 || from < series[0]![0] || to > series.at(-1)![0]) return undefined;
  const length = to - from;
  const onCpuMs = Math.min(length, Math.max(0, cpuAt(series, to) - cpuAt(series, from)));
  let runnableMs = 0;
  let edgeMs = 0;
  for (let i = before(series, from); i < series.length - 1 && series[i]![0] < to; i++) {
    const [t0, , state] = series[i]!;
    const t1 = series[i + 1]![0];
    edgeMs = Math.max(edgeMs, t1 - t0);
    if (state === 1) runnableMs += Math.min(t1, to) - Math.max(t0, from);
  }
  const waitingMs = Math.min(length - onCpuMs, Math.max(0, runnableMs - onCpuMs));
  return { onCpuMs, waitingMs, asleepMs: length - onCpuMs - waitingMs, edgeMs };
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
    return {
      splits: gaps.map((g) => splitWindow(series, g.t - g.gap + this.#offset, g.t + this.#offset)),
      alignMs: this.#alignError,
      offsetMs: this.#offset,
    };
  }
}

/** "12 on a core, 60 waiting for one, 3 asleep (±2)": a gap's split for the report and the log. */
export function splitText(split: GapSplit | undefined): string {
  if (!split) return 'not split';
  const r = (ms: number) => ms.toFixed(0);
  return `${r(split.onCpuMs)} on a core, ${r(split.waitingMs)} waiting for one, ${r(split.asleepMs)} asleep (±${r(split.edgeMs)})`;
}
