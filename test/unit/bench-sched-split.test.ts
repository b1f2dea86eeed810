// The bench's split of a main-thread gap (bench/lib/sched-probe.ts): the kernel's schedstat counters
// of a real thread, read by the real sampler, for a window where the thread computed and one where
// it slept; and the arithmetic of the split and of the "less waiting for a core" figure.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { gapsBetween, type GapResult } from '../../bench/lib/browser.js';
import { loopSleepsOf, SchedSampler, splitWindow, type Sample } from '../../bench/lib/sched-probe.js';

describe('splitWindow', () => {
  // [monotonic ms, on-core ms, waiting ms, where asleep]: 0-40 on a core, 40-70 waiting, 70-100
  // asleep: in the message loop's wait (500) at 80 and 100, elsewhere (700, a call) at 90.
  const series: Sample[] = [[0, 0, 0, 0], [40, 40, 0, 0], [70, 40, 30, 0], [80, 40, 30, 500], [90, 40, 30, 700], [100, 40, 30, 500]];

  it('splits a window into time on a core, waiting for one and asleep, and what of the sleep was outside the loop', () => {
    expect(splitWindow(series, 20, 90, new Set([500]))).toEqual({ onCpuMs: 20, waitingMs: 30, asleepMs: 20, blockedMs: 10, edgeMs: 40 });
  });

  it('does not split a window outside the sampled time', () => {
    expect(splitWindow(series, -10, 50)).toBeUndefined();
    expect(splitWindow(series, 50, 120)).toBeUndefined();
  });

  it('takes the sleeps of 10 % or more of the sleeping samples for the loop', () => {
    const many: Sample[] = [...Array.from({ length: 19 }, (_, i): Sample => [i, 0, 0, 500]), [19, 0, 0, 700]];
    expect(loopSleepsOf(many)).toEqual(new Set([500]));
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
    expect(gaps.maxBusyOrAsleepMs).toBe(57); // 60 - (5 - 2); the 90 ms gap keeps 25
    expect(gaps.busyOrAsleepOver50).toBe(1);
    expect(gaps.longest?.waitingMs).toBe(70);
    expect(gaps.maxOnCpuMs).toBe(55);
  });

  it('counts a gap the sampler did not cover whole', () => {
    const gaps = gapsBetween(result([{ t: 1000, gap: 80 }]), 0, 3000);
    expect(gaps.maxBusyOrAsleepMs).toBe(80);
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
    const split = await sampler.stop(gaps);
    await worker.terminate();
    const [computing, sleeping] = split!.splits;
    // Not all of it: interrupts and softirq work (loopback traffic) taken while it runs count on neither counter.
    expect(computing!.onCpuMs + computing!.waitingMs).toBeGreaterThan(0.6 * gaps[0]!.gap - computing!.edgeMs);
    expect(computing!.onCpuMs).toBeGreaterThan(0);
    expect(sleeping!.asleepMs).toBeGreaterThan(0.8 * gaps[1]!.gap - sleeping!.edgeMs);
  });
});
