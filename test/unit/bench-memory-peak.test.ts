// The memory section's account of its judged peak (bench/sections/memory.ts): the PSS peak's sample
// is shown on the anon timeline even when it falls between the 500 ms points (the reader probe's
// block reads before the handoff were one 250 ms sample, 34 MiB above those either side, in the
// quiet run whose 1 GiB figure missed the target), and the judged line says when and where it was.
import { describe, expect, it } from 'vitest';
import { anonOverTime, peakAt, peakWhere, type MemoryRun } from '../../bench/sections/memory.js';

const MiB = 1024 * 1024;

/** A product run whose PSS spikes at 650 ms for one sample, with the handoff at 700 ms and the hash done at 4 s. */
function spikyRun(): MemoryRun {
  const parts = (anon: number) => ({ anon: anon * MiB, shmem: 0, file: 0 });
  const timeline: Array<[number, number, number, number]> = [
    [450, 37 * MiB, 20 * MiB, 0],
    [650, 74 * MiB, 55 * MiB, 0],
    [930, 40 * MiB, 25 * MiB, 0],
    [1170, 41 * MiB, 25 * MiB, 0],
    [4500, 50 * MiB, 38 * MiB, 0],
  ];
  return {
    fileBytes: 1024 * MiB, before: 0, peak: 0, after: 0, growth: 0, samples: 5, totalMs: 5000,
    hashedAt: 4000, handoffAt: 700, processGrowth: 74 * MiB,
    workers: { started: 2, reader: 'stream', probe: [{ reader: 'stream', msPerMiB: 4.5 }, { reader: 'blocks', msPerMiB: 5.3 }, { reader: 'stream', msPerMiB: 6 }] },
    memory: {
      processes: {
        before: 0, peak: 74 * MiB, after: 0, peakRss: 0, samples: 5,
        beforeByKind: { renderer: 100 * MiB, browser: 50 * MiB }, peakByKind: { renderer: 173.5 * MiB, browser: 50.2 * MiB },
        beforeParts: parts(0), peakParts: parts(55), partPeaks: parts(55),
      },
      timeline,
    },
  };
}

describe('the memory section names its peak', () => {
  it('shows the peak sample on the timeline although it falls between two 500 ms points, with the handoff and the hash marked', () => {
    const line = anonOverTime(spikyRun());
    expect(peakAt(spikyRun())).toBe(650);
    expect(line).toContain('20.0 [peak 0.65 s: 55.0, PSS 74.0] | handoff | 25.0 | hashed | 38.0');
    expect(line).toContain('(ms per MiB: stream 4.50, blocks 5.30, stream 6.00)');
  });

  it('says when the worst peak was against the handoff and the hash, and which processes moved', () => {
    expect(peakWhere(spikyRun())).toBe("at 0.65 s, 0.05 s before the probe's handoff, 3.35 s before the hash's end; renderer 73.5; anon 55.0, shmem 0.0, file 0.0");
  });
});
