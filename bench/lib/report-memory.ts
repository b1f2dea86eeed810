// The memory section's tables and targets: the JS heap, and what the machine pays beyond it (the
// browser's processes' PSS, measureUserAgentSpecificMemory), with the leaky control beside them.

import { DEFAULT_CONCURRENCY } from '../../src/engine/options.js';
import { byBacking, kindsAtPeak, peakWhere, type MemoryRun, type MemorySectionResult } from '../sections/memory.js';
import { formatSize, MiB } from './args.js';
import { f2, mib, table, type AddTarget } from './format.js';

/** The target for every memory figure of the product: growth during the upload. */
export const MEMORY_GROWTH_LIMIT = 64 * MiB;
/** "Flat": the largest file's growth exceeds the smallest's by at most this (a quarter of the limit). */
export const MEMORY_FLAT_SLACK = 16 * MiB;

export function renderMemoryTables(memory: MemorySectionResult): string {
  const rows = (run: MemoryRun, label: string) => [label, mib(run.growth), mib(run.workerPeak), mib(run.userAgentGrowth), mib(run.memory.processes.before), mib(run.memory.processes.peak), mib(run.memory.processes.after), mib(run.processGrowth), byBacking(run, 'partPeaks'), kindsAtPeak(run)];
  const all = memory.runs.map((run) => rows(run, `product, ${formatSize(run.fileBytes)}`));
  if (memory.bare) all.push(rows(memory.bare, `bare client: the protocol's slices in ${memory.bare.lanes} lanes, no hashing, no UI, nothing kept (the browser's own cost of the same fetches), ${formatSize(memory.bare.fileBytes)}`));
  if (memory.control) all.push(rows(memory.control, `control: keeps every slice it sends, ${formatSize(memory.control.fileBytes)}`));
  return (
    `\n### Memory while hashing and uploading, product at concurrency ${DEFAULT_CONCURRENCY} (MiB; growth = peak − before)\n\n` +
    table(['run', 'JS heap growth', 'worker heap peak', 'measureUserAgentSpecificMemory retained (after − before, GC)', 'browser processes PSS before', 'peak', 'after GC', 'PSS growth', 'PSS growth by backing (each one\'s own peak)', 'PSS growth by process at the peak'], all) +
    `\n\nJS heap: CDP JSHeapUsedSize every ~100 ms. PSS: /proc/<pid>/smaps_rollup of every Chromium process, summed, every 250 ms; by backing: its Pss_Anon (the processes' own memory: ArrayBuffers, allocators, V8), ` +
    `Pss_Shmem (memory shared between them: Mojo data pipes, Blob transport) and Pss_File (mapped files: mostly Chromium's own code, ` +
    `whose share moves when other Chromium instances on the machine start or end). ` +
    `measureUserAgentSpecificMemory: ${memory.measureUserAgentSpecificMemory ? 'before and after, each after a forced GC (cross-origin isolated pages; sampling it during the upload stalled the hashing worker)' : 'not available (the page is not cross-origin isolated)'}.`
  );
}

export function memoryTargets(memory: MemorySectionResult | undefined, add: AddTarget): void {
  const m = memory?.runs ?? [];
  if (!m.length) return;
  const sizes = (pick: (run: MemoryRun) => number | undefined) => m.map((x) => `${formatSize(x.fileBytes)}: ${mib(pick(x))}`).join(', ');
  const worst = (pick: (run: MemoryRun) => number | undefined) => Math.max(...m.map((x) => pick(x) ?? 0));
  add('heap growth ≤ 64 MiB', worst((x) => x.growth) <= MEMORY_GROWTH_LIMIT, `worst ${mib(worst((x) => x.growth))} MiB (${sizes((x) => x.growth)})`);
  // The worst run's peak, where and when (memory.ts peakWhere): whose memory the judged figure is.
  const worstRun = m.reduce((a, b) => (a.processGrowth >= b.processGrowth ? a : b));
  add(
    'total growth (PSS of the browser processes) ≤ 64 MiB',
    worstRun.processGrowth <= MEMORY_GROWTH_LIMIT,
    `worst ${mib(worstRun.processGrowth)} MiB (${sizes((x) => x.processGrowth)}); the ${formatSize(worstRun.fileBytes)} peak ${peakWhere(worstRun)}`,
  );
  if (memory?.measureUserAgentSpecificMemory) {
    add('measureUserAgentSpecificMemory retained after the upload ≤ 64 MiB', worst((x) => x.userAgentGrowth) <= MEMORY_GROWTH_LIMIT, `worst ${mib(worst((x) => x.userAgentGrowth))} MiB (${sizes((x) => x.userAgentGrowth)})`);
  }
  const small = m.reduce((a, b) => (a.fileBytes <= b.fileBytes ? a : b));
  const big = m.reduce((a, b) => (a.fileBytes >= b.fileBytes ? a : b));
  if (big.fileBytes > small.fileBytes) {
    add(`${formatSize(big.fileBytes)} heap growth ≤ 1.25× the ${formatSize(small.fileBytes)} run's`, big.growth <= 1.25 * small.growth, `${f2(big.growth / small.growth)}× (${mib(big.growth)} vs ${mib(small.growth)} MiB)`);
    add(
      `total growth flat: ${formatSize(big.fileBytes)} ≤ ${formatSize(small.fileBytes)} + ${mib(MEMORY_FLAT_SLACK)} MiB`,
      big.processGrowth <= small.processGrowth + MEMORY_FLAT_SLACK,
      `${mib(big.processGrowth)} vs ${mib(small.processGrowth)} MiB`,
    );
  } else add('memory flat in file size', undefined, 'one size only (full run: 256 MiB, 1 GiB, 4 GiB)');
  const c = memory?.control;
  if (c) {
    add(
      'control (keeps every slice it sends) is caught: its total growth > 64 MiB',
      c.processGrowth > MEMORY_GROWTH_LIMIT,
      `PSS growth ${mib(c.processGrowth)} MiB for ${mib(c.keptBytes)} MiB kept; JS heap growth ${mib(c.growth)} MiB, measureUserAgentSpecificMemory retained ${mib(c.userAgentGrowth)} MiB`,
    );
  }
}
