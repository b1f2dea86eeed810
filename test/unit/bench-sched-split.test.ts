// The bench's split of a main-thread gap (bench/lib/sched-probe.ts): the kernel's schedstat counters
// of a real thread, read by the real sampler, for a window where the thread computed and one where
// it slept; and the arithmetic of the split and of the "less waiting for a core" figure.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { gapsBetween, lessWaitingOf, type GapResult } from '../../bench/lib/browser.js';
import { SchedSampler, splitWindow, type Sample } from '../../bench/lib/sched-probe.js';

describe('splitWindow', () => {
  // [monotonic ms, on-core ms, runnable]: 0-40 on a core, 40-70 runnable but waiting, 70-100 asleep.
  const series: Sample[] = [[0, 0, 1], [10, 10, 1], [20, 20, 1], [30, 30, 1], [40, 40, 1], [50, 40, 1], [60, 40, 1], [70, 40, 0], [80, 40, 0], [90, 40, 0], [100, 40, 0]];

  it('splits a window into time on a core, waiting for one and asleep', () => {
    expect(splitWindow(series, 20, 90)).toEqual({ onCpuMs: 20, waitingMs: 30, asleepMs: 20, edgeMs: 10 });
    expect(splitWindow(series, 25, 75)).toEqual({ onCpuMs: 15, waitingMs: 30, asleepMs: 5, edgeMs: 10 });
  });

  it('does not split a window outside the sampled time', () => {
    expect(splitWindow(series, -10, 50)).toBeUndefined();
    expect(splitWindow(series, 50, 120)).toBeUndefined();
  });
});

describe('gapsBetween with splits', () => {
  const result = (long: GapResult['long']): GapResult => ({ maxGapMs: 0, maxFrameGapMs: 0, gapsOver50: 0, ticks: 0, long, splitAlignMs: 1 });

  it('takes off only the waiting beyond the sampler uncertainty', () => {
    const gaps = gapsBetween(result([
      { t: 1000, gap: 90, split: { onCpuMs: 10, waitingMs: 70, asleepMs: 10, edgeMs: 5 } },
      { t: 2000, gap: 60, split: { onCpuMs: 55, waitingMs: 5, asleepMs: 0, edgeMs: 2 } },
    ]), 0, 3000);
    expect(gaps.maxGapMs).toBe(90);
    expect(gaps.gapsOver50).toBe(2);
    expect(gaps.maxBusyOrAsleepMs).toBe(59); // 60 - (5 - 2 × 2); the 90 ms gap keeps 90 - (70 - 2 × 5) = 30
    expect(gaps.busyOrAsleepOver50).toBe(1);
    expect(gaps.longest?.waitingMs).toBe(70);
    expect(gaps.maxOnCpuMs).toBe(55);
  });

  it('counts a gap the sampler did not cover whole', () => {
    const gaps = gapsBetween(result([{ t: 1000, gap: 80 }]), 0, 3000);
    expect(gaps.maxBusyOrAsleepMs).toBe(80);
  });

  it('joins phases less waiting: the longest and the count over 50 ms, nothing unless every phase was split', () => {
    expect(lessWaitingOf([{ maxBusyOrAsleepMs: 30, busyOrAsleepOver50: 0 }, { maxBusyOrAsleepMs: 70, busyOrAsleepOver50: 2 }])).toEqual({ maxMs: 70, over50: 2 });
    expect(lessWaitingOf([{ maxBusyOrAsleepMs: 30, busyOrAsleepOver50: 0 }, {}])).toBeUndefined();
    expect(lessWaitingOf([])).toBeUndefined();
  });

  it('says nothing of waiting when the run was not split', () => {
    expect(gapsBetween({ maxGapMs: 0, maxFrameGapMs: 0, gapsOver50: 0, ticks: 0, long: [{ t: 1000, gap: 80 }] }, 0, 3000).maxBusyOrAsleepMs).toBeUndefined();
  });
});

// A real thread: a worker that computes for 150 ms, then sleeps for 150 ms, timed by its own clock.
const WORKLOAD = `
const { parentPort } = require('node:worker_threads');
const { readlinkSync } = require('node:fs');
parentPort.postMessage({ tid: Number(readlinkSync('/proc/thread-self').split('/').pop()) });
parentPort.once('message', () => {
  const start = performance.timeOrigin + performance.now();
  while (performance.timeOrigin + performance.now() - start < 150);
  const slept = performance.timeOrigin + performance.now();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);
  parentPort.postMessage({ start, slept, end: performance.timeOrigin + performance.now() });
});
`;

describe.skipIf(!existsSync('/proc/self/schedstat'))('SchedSampler on a real thread', () => {
  it('sees the thread on a core (or waiting for one) while it computes, and asleep while it sleeps', async () => {
    const worker = new Worker(WORKLOAD, { eval: true });
    const next = () => new Promise<Record<string, number>>((resolve) => worker.once('message', resolve));
    const { tid } = await next();
    // Both clocks are epoch ms of this process (the page's clock in the bench).
    const sampler = await SchedSampler.sample([tid!], async () => performance.timeOrigin + performance.now());
    const done = next();
    worker.postMessage('go');
    const times = await done;
    const gaps = [
      { t: times.slept!, gap: times.slept! - times.start! },
      { t: times.end!, gap: times.end! - times.slept! },
    ];
    // The bench stops its sampler long after the gaps it splits; here the second gap ends just now,
    // and a window past the last sample is not split: let the sampler take a few more samples first.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const split = await sampler.stop(gaps);
    await worker.terminate();
    const [computing, sleeping] = split!.splits;
    // Off by one sample interval at each end (edgeMs) and the clocks' mapping (a few ms); and under
    // load (average ~20) a busy thread was once seen asleep for 40 % of it (bench/README.md, figure 3).
    expect(computing!.onCpuMs + computing!.waitingMs).toBeGreaterThan(0.5 * gaps[0]!.gap - 2 * computing!.edgeMs);
    expect(computing!.asleepMs).toBeLessThan(sleeping!.asleepMs);
    expect(computing!.onCpuMs).toBeGreaterThan(0);
    // The 150 ms of Atomics.wait; the rest of that window is its wake-up, runnable until it got a core.
    expect(sleeping!.asleepMs).toBeGreaterThan(150 - 2 * sleeping!.edgeMs - 5);
  });
});
