// The queue view's pure parts: the incremental totals and ETA (queue-summary.ts) and the live
// region's milestone policy (milestones.ts), on a fake clock.
import { describe, expect, it } from 'vitest';
import type { UploadSnapshot } from '../../src/engine/types.js';
import { MIN_GAP_MS, MilestoneAnnouncer, type MilestoneClock, type MilestoneTexts } from '../../src/element/milestones.js';
import { QueueSummary, type QueueTotals } from '../../src/element/queue-summary.js';

function snap(id: string, status: UploadSnapshot['status'], size: number, uploadedBytes = 0): UploadSnapshot {
  return { id, name: `${id}.mp4`, size, type: 'video/mp4', path: `/${id}.mp4`, status, hashedBytes: size, uploadedBytes, speed: 0 };
}

describe('QueueSummary', () => {
  it('keeps counts and bytes by deltas, and rebuilds the same from a list', () => {
    const summary = new QueueSummary(() => 0);
    summary.update(snap('a', 'queued', 100));
    summary.update(snap('b', 'uploading', 200, 50));
    summary.update(snap('c', 'error', 300, 10));
    summary.update(snap('a', 'done', 100, 60)); // done counts the whole size
    summary.update(snap('d', 'cancelled', 1000, 500)); // cancelled bytes are left out
    expect(summary.totals).toEqual({ files: 4, done: 1, failed: 1, cancelled: 1, unfinished: 1, sentBytes: 160, totalBytes: 600 });
    summary.remove('c');
    expect(summary.totals).toMatchObject({ files: 3, failed: 0, sentBytes: 150, totalBytes: 300 });
    const rebuilt = new QueueSummary();
    rebuilt.sync([snap('a', 'done', 100), snap('b', 'uploading', 200, 50), snap('d', 'cancelled', 1000, 500)]);
    expect(rebuilt.totals).toEqual(summary.totals);
    expect(rebuilt.holds(3)).toBe(true);
  });

  it('an ETA from the smoothed overall rate, unknown before two samples and once nothing runs', () => {
    let now = 0;
    const summary = new QueueSummary(() => now);
    summary.update(snap('a', 'uploading', 10_000, 0));
    summary.update(snap('b', 'queued', 10_000));
    expect(summary.eta).toBeUndefined();
    now = 1000;
    summary.update(snap('a', 'uploading', 10_000, 1000)); // 1000 B/s
    expect(summary.rate).toBe(1000);
    expect(summary.eta).toBe(19);
    now = 2000;
    summary.update(snap('a', 'uploading', 10_000, 3000)); // 2000 B/s now: smoothed, not jumped
    expect(summary.rate).toBeCloseTo(0.3 * 2000 + 0.7 * 1000);
    now = 2100;
    summary.update(snap('a', 'uploading', 10_000, 9000)); // within the sample interval: no new sample
    expect(summary.rate).toBeCloseTo(1300);
    summary.update(snap('a', 'done', 10_000));
    summary.update(snap('b', 'done', 10_000));
    expect(summary.eta).toBeUndefined();
  });
});

function fakeClock(): MilestoneClock & { advance(ms: number): void } {
  let now = 0;
  let timers: Array<{ at: number; fn: () => void }> = [];
  return {
    now: () => now,
    later(fn, ms) {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return () => (timers = timers.filter((t) => t !== timer));
    },
    advance(ms) {
      now += ms;
      for (const t of timers.filter((x) => x.at <= now)) {
        timers = timers.filter((x) => x !== t);
        t.fn();
      }
    },
  };
}

const texts: MilestoneTexts = {
  done: (name) => `${name} done`,
  doneMany: (count) => `${count} done`,
  failedOne: (name, message) => `${name} failed: ${message}`,
  failedMany: (count) => `${count} failed`,
  progress: (fraction, finished, files) => `${fraction * 100}% (${finished}/${files})`,
  batchDone: (done, failed) => `all finished: ${done} done, ${failed} failed`,
};

function totals(files: number, done: number, failed = 0): QueueTotals {
  return { files, done, failed, cancelled: 0, unfinished: files - done - failed, sentBytes: 0, totalBytes: 0 };
}

describe('MilestoneAnnouncer', () => {
  function setup() {
    const clock = fakeClock();
    const said: Array<{ at: number; text: string }> = [];
    const announcer = new MilestoneAnnouncer((text) => said.push({ at: clock.now(), text }), () => texts, clock);
    return { clock, said, announcer };
  }

  it('a small batch: each file by name, merged when they come faster than one per gap, then the end', () => {
    const { clock, said, announcer } = setup();
    announcer.totalsChanged(totals(3, 0));
    announcer.fileDone('a', totals(3, 1));
    clock.advance(1000);
    announcer.fileDone('b', totals(3, 2));
    clock.advance(100);
    announcer.fileFailed('c', 'refused', totals(3, 2, 1));
    clock.advance(MIN_GAP_MS);
    expect(said.map((s) => s.text)).toEqual(['a done', 'all finished: 2 done, 1 failed']);
  });

  it('a big batch: tenths only, failures coalesced, never two announcements within the gap', () => {
    const { clock, said, announcer } = setup();
    const files = 1000;
    announcer.totalsChanged(totals(files, 0));
    let failed = 0;
    for (let done = 1; done + failed <= files; done++) {
      if (done % 97 === 0 && failed < 3) announcer.fileFailed(`f${++failed}`, 'x', totals(files, done - 1, failed));
      if (done + failed > files) break;
      announcer.fileDone(`n${done}`, totals(files, done, failed));
      clock.advance(20); // 50 files a second: 20 s in all
    }
    clock.advance(MIN_GAP_MS);
    const gaps = said.slice(1).map((s, i) => s.at - said[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(MIN_GAP_MS);
    expect(said.length).toBeLessThanOrEqual(11);
    expect(said.some((s) => /n\d+ done/.test(s.text))).toBe(false);
    expect(said.filter((s) => /^\d+% /.test(s.text)).length).toBeGreaterThanOrEqual(5);
    expect(said.some((s) => s.text.includes('f1 failed') || s.text.includes('failed'))).toBe(true);
    expect(said.at(-1)!.text).toBe(`all finished: ${files - 3} done, 3 failed`);
    // Tenths go up, never back.
    const tenths = said.map((s) => Number(/^(\d+)%/.exec(s.text)?.[1] ?? NaN)).filter((n) => !Number.isNaN(n));
    expect(tenths).toEqual([...tenths].sort((a, b) => a - b));
  });

  it('three failures at once are one sentence', () => {
    const { clock, said, announcer } = setup();
    announcer.totalsChanged(totals(50, 0));
    announcer.fileDone('x', totals(50, 1)); // a big batch: no single file is said
    announcer.fileFailed('a', 'm', totals(50, 1, 1));
    announcer.fileFailed('b', 'm', totals(50, 1, 2));
    announcer.fileFailed('c', 'm', totals(50, 1, 3));
    clock.advance(MIN_GAP_MS);
    expect(said.map((s) => s.text)).toEqual(['3 failed']);
  });
});
