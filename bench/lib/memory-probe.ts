// Memory beyond the JS heap: what the machine pays while a page uploads. Two probes, sampled while
// the work runs:
// - the proportional resident size (PSS, /proc/<pid>/smaps_rollup) of every Chromium process this
//   bench started (browser, renderers, network service, GPU/utility), summed: ArrayBuffer backing
//   stores, Blob data, network buffers, everything resident, with shared pages counted once;
// - performance.measureUserAgentSpecificMemory() in the page (needs cross-origin isolation, which
//   the bench's pages have): the page's and its workers' memory as Chromium attributes it, before
//   and after the work (after a GC): what stays. Not during it: called once a second (eager mode,
//   Chromium 156) it stalled the hashing worker of a 1 GiB file for good at 152 MiB.

import { readdirSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { HeapSampler, type HeapResult } from './browser.js';

/** Chromium processes below this Node process (Playwright starts the browser as our child). */
export function chromiumPids(root = process.pid): number[] {
  const children = new Map<number, number[]>();
  const names = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'.
      const close = stat.lastIndexOf(')');
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      names.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close));
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      /* the process ended while we looked */
    }
  }
  const found: number[] = [];
  const walk = (pid: number): void => {
    for (const child of children.get(pid) ?? []) {
      if (/chrom/i.test(names.get(child) ?? '')) found.push(child);
      walk(child);
    }
  };
  walk(root);
  return found;
}

/** A Chromium process's kind from its command line: browser, renderer, gpu-process, network, utility... */
export function processKind(pid: number): string {
  try {
    // Chromium retitles its children (setproctitle): their arguments may be joined by spaces.
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
    const type = args.find((a) => a.startsWith('--type='))?.slice('--type='.length);
    if (!type) return 'browser';
    if (type === 'utility' && args.some((a) => a.includes('NetworkService'))) return 'network';
    return type;
  } catch {
    return 'gone';
  }
}

/**
 * PSS split by what backs the pages (smaps_rollup's Pss_Anon, Pss_File, Pss_Shmem): `anon` is the
 * processes' own heap (ArrayBuffers, PartitionAlloc, V8), `shmem` the shared memory between them
 * (Mojo data pipes, Blob transport), `file` mapped files: mostly Chromium's own code and data, whose
 * PSS divides among every process mapping it, other Chromium instances on the machine included, so
 * it moves when others start or end.
 */
export interface PssParts {
  anon: number;
  file: number;
  shmem: number;
}

/** Summed PSS and RSS (bytes) of `pids`, by backing and per process kind; processes that ended in between count 0. */
export function residentOf(pids: number[]): { pss: number; rss: number; parts: PssParts; byKind: Record<string, number> } {
  let pss = 0;
  let rss = 0;
  const parts: PssParts = { anon: 0, file: 0, shmem: 0 };
  const byKind: Record<string, number> = {};
  const field = (text: string, name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  for (const pid of pids) {
    try {
      const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const own = field(text, 'Pss');
      pss += own;
      rss += field(text, 'Rss');
      parts.anon += field(text, 'Pss_Anon');
      parts.file += field(text, 'Pss_File');
      parts.shmem += field(text, 'Pss_Shmem');
      const kind = processKind(pid);
      byKind[kind] = (byKind[kind] ?? 0) + own;
    } catch {
      /* gone */
    }
  }
  return { pss, rss, parts, byKind };
}

/** performance.measureUserAgentSpecificMemory().bytes, or undefined where the page cannot call it. */
export async function userAgentMemory(page: Page): Promise<number | undefined> {
  return page.evaluate(async () => {
    const perf = performance as Performance & { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> };
    if (!globalThis.crossOriginIsolated || !perf.measureUserAgentSpecificMemory) return undefined;
    return (await perf.measureUserAgentSpecificMemory()).bytes;
  });
}

export interface TotalMemoryResult {
  /** Summed PSS of the browser's processes: before the work (after a GC), highest sample, after (after a GC). */
  processes: {
    before: number; peak: number; after: number; peakRss: number; samples: number;
    beforeByKind: Record<string, number>; peakByKind: Record<string, number>;
    /** The PSS before and at the PSS peak by backing; the peak of each backing on its own. */
    beforeParts: PssParts; peakParts: PssParts; partPeaks: PssParts;
  };
  /** measureUserAgentSpecificMemory bytes before and after (after a GC; peak = the larger), when the page is cross-origin isolated. */
  userAgent?: { before: number; peak: number; after: number };
  /** [ms since start, PSS bytes, of which anon, shmem] every ~250 ms (for the report's chart). */
  timeline: Array<[number, number, number, number]>;
}

const PROCESS_SAMPLE_MS = 250;
const TIMELINE_MAX = 2000;

/** Samples both probes while a page works; call start() after a GC and stop() before the last one. */
export class TotalMemorySampler {
  #pids: number[] = [];
  #timers: Array<ReturnType<typeof setInterval>> = [];
  #started = 0;
  #processes: TotalMemoryResult['processes'] = {
    before: 0, peak: 0, after: 0, peakRss: 0, samples: 0, beforeByKind: {}, peakByKind: {},
    beforeParts: { anon: 0, file: 0, shmem: 0 }, peakParts: { anon: 0, file: 0, shmem: 0 }, partPeaks: { anon: 0, file: 0, shmem: 0 },
  };
  #userAgent: { before: number; peak: number; after: number } | undefined;
  #timeline: TotalMemoryResult['timeline'] = [];

  constructor(private readonly page: Page) {}

  async start(): Promise<void> {
    this.#pids = chromiumPids();
    this.#started = performance.now();
    const before = residentOf(this.#pids);
    this.#processes = {
      before: before.pss, peak: before.pss, after: 0, peakRss: before.rss, samples: 0, beforeByKind: before.byKind, peakByKind: before.byKind,
      beforeParts: before.parts, peakParts: before.parts, partPeaks: { ...before.parts },
    };
    const ua = await userAgentMemory(this.page).catch(() => undefined);
    if (ua !== undefined) this.#userAgent = { before: ua, peak: ua, after: 0 };
    this.#timers.push(setInterval(() => this.#sampleProcesses(), PROCESS_SAMPLE_MS));
  }

  #sampleProcesses(): void {
    // New processes (a worker's, the network service restarting) count from when they appear.
    this.#pids = chromiumPids();
    const now = residentOf(this.#pids);
    const p = this.#processes;
    // Where the memory sits at the peak: per process kind (renderer, network, browser, gpu-process...).
    if (now.pss > p.peak) {
      p.peakByKind = now.byKind;
      p.peakParts = now.parts;
    }
    for (const part of ['anon', 'file', 'shmem'] as const) p.partPeaks[part] = Math.max(p.partPeaks[part], now.parts[part]);
    p.peak = Math.max(p.peak, now.pss);
    p.peakRss = Math.max(p.peakRss, now.rss);
    p.samples++;
    if (this.#timeline.length < TIMELINE_MAX) this.#timeline.push([Math.round(performance.now() - this.#started), now.pss, now.parts.anon, now.parts.shmem]);
  }

  /** Stops sampling (the work is done); `after()` then takes the after-GC figures. */
  stop(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#sampleProcesses();
  }

  async after(): Promise<TotalMemoryResult> {
    this.#processes.after = residentOf(chromiumPids()).pss;
    if (this.#userAgent) {
      this.#userAgent.after = (await userAgentMemory(this.page).catch(() => undefined)) ?? 0;
      this.#userAgent.peak = Math.max(this.#userAgent.before, this.#userAgent.after);
    }
    return { processes: this.#processes, userAgent: this.#userAgent, timeline: this.#timeline };
  }
}

/** The JS heap sampler (browser.ts) and the total memory probes above, started and stopped together. */
export class MemoryProbes {
  private constructor(
    private readonly heap: HeapSampler,
    private readonly total: TotalMemorySampler,
  ) {}

  static async attach(page: Page): Promise<MemoryProbes> {
    return new MemoryProbes(await HeapSampler.attach(page), new TotalMemorySampler(page));
  }

  /** After a forced GC: the "before" figures, then sampling. */
  async start(): Promise<void> {
    await this.heap.start();
    await this.total.start();
  }

  /** Sampling stops, a forced GC, then the "after" figures. */
  async stop(): Promise<{ heap: HeapResult; memory: TotalMemoryResult }> {
    this.total.stop();
    const heap = await this.heap.stop();
    return { heap, memory: await this.total.after() };
  }

  detach(): Promise<void> {
    return this.heap.detach();
  }
}
