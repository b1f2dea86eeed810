// The many-files section's table and its targets (issue 14): ≥ 5× one file at a time on 1,000 files
// at 50 ms, the 10,000-file time per file ≤ 1.25× the 100-file run's, no main-thread gap over 50 ms
// after the pick, page heap ≤ 64 MiB.

import type { ManyRunResult, ManySectionResult } from '../sections/many-files.js';
import { formatSize, KiB } from './args.js';
import { f0, f1, f2, mib, table } from './format.js';

type Add = (name: string, pass: boolean | undefined, detail: string) => void;

const LABEL = { product: 'product', oneAtATime: 'one at a time (parallel-files=1)', bare: 'bare client' } as const;

function find(s: ManySectionResult, variant: ManyRunResult['variant'], files: number, fileBytes: number, delayMs: number, parallel?: number): ManyRunResult | undefined {
  return s.runs.find((r) => r.variant === variant && r.files === files && r.fileBytes === fileBytes && r.delayMs === delayMs && (parallel === undefined || r.parallel === parallel));
}

export function renderManyTable(s: ManySectionResult): string {
  const out = ['\n### Many files: chosen at once in the element\'s input (time per file = first added → last done, / files)\n'];
  out.push(table(
    ['files', 'ms added', 'client', 'files at once', 'ms per file', 'total s', 'longest gap ms (after the pick / whole run)', 'gaps > 50 ms', 'heap peak MiB', 'shadow DOM nodes', 'completed', 'max in flight'],
    s.runs.map((r) => [
      `${r.files} × ${formatSize(r.fileBytes)}`, String(r.delayMs), LABEL[r.variant], String(r.parallel), f1(r.perFileMs), f1(r.totalMs / 1000),
      `${f0(r.maxGapMs)} / ${f0(r.maxGapWholeMs)}`, String(r.gapsOver50), mib(r.heapPeakBytes), r.shadowNodes === undefined ? '–' : String(r.shadowNodes),
      `${r.completed}/${r.files}`, String(r.maxInFlight),
    ]),
  ));
  const picks = [...new Set(s.runs.map((r) => r.pick))];
  out.push(`\nFiles reached the input by setInputFiles with paths: ${picks.join('; ')}.`);
  return out.join('\n');
}

export function manyTargets(s: ManySectionResult | undefined, add: Add): void {
  if (!s) return;
  const small = 64 * KiB;
  const d = s.defaultParallelFiles;
  const product = find(s, 'product', 1000, small, 50, d);
  const one = find(s, 'oneAtATime', 1000, small, 50);
  const name = 'many files: 1,000 × 64 KiB at 50 ms ≥ 5× faster than one file at a time';
  if (product && one) add(name, one.totalMs >= 5 * product.totalMs, `${f2(one.totalMs / product.totalMs)}× (${f1(product.totalMs / 1000)} s at parallel-files ${d} vs ${f1(one.totalMs / 1000)} s)`);
  else add(name, undefined, 'not run (full run only)');
  const hundred = find(s, 'product', 100, small, 0, d);
  const tenK = find(s, 'product', 10_000, small, 0, d);
  const flat = 'many files: 10,000 × 64 KiB time per file ≤ 1.25× the 100-file run (0 ms)';
  if (hundred && tenK) add(flat, tenK.perFileMs <= 1.25 * hundred.perFileMs, `${f2(tenK.perFileMs / hundred.perFileMs)}× (${f1(tenK.perFileMs)} vs ${f1(hundred.perFileMs)} ms per file)`);
  else add(flat, undefined, 'not run (full run only)');
  const products = s.runs.filter((r) => r.variant !== 'bare');
  if (products.length) {
    const worst = products.reduce((a, b) => (b.maxGapMs > a.maxGapMs ? b : a));
    add('many files: no main-thread gap over 50 ms after the pick', worst.maxGapMs <= 50, `longest ${f0(worst.maxGapMs)} ms (${worst.files} × ${formatSize(worst.fileBytes)}, ${worst.delayMs} ms, parallel-files ${worst.parallel}; the whole run with the pick: ${f0(worst.maxGapWholeMs)} ms)`);
    if (products.every((r) => r.maxBusyOrAsleepMs !== undefined)) {
      // The same gaps less the time the kernel kept the main thread waiting for a core (sched-probe.ts).
      const own = products.reduce((a, b) => (b.maxBusyOrAsleepMs! > a.maxBusyOrAsleepMs! ? b : a));
      const bare = s.runs.filter((r) => r.variant === 'bare' && r.maxBusyOrAsleepMs !== undefined);
      const control = bare.length ? `; bare client: ${f0(Math.max(...bare.map((r) => r.maxBusyOrAsleepMs!)))} ms` : '';
      add('many files: no main-thread gap over 50 ms after the pick, less the time the thread waited for a core', own.maxBusyOrAsleepMs! <= 50, `longest ${f0(own.maxBusyOrAsleepMs!)} ms, ${products.reduce((sum, r) => sum + r.busyOrAsleepOver50!, 0)} over 50 ms (${own.files} × ${formatSize(own.fileBytes)}, ${own.delayMs} ms, parallel-files ${own.parallel})${control}`);
    }
    const heaviest = products.reduce((a, b) => (b.heapPeakBytes > a.heapPeakBytes ? b : a));
    add('many files: page heap ≤ 64 MiB', heaviest.heapPeakBytes <= 64 * 1024 * 1024, `peak ${mib(heaviest.heapPeakBytes)} MiB (${heaviest.files} × ${formatSize(heaviest.fileBytes)}, ${heaviest.delayMs} ms)`);
    const incomplete = s.runs.filter((r) => r.completed < r.files);
    add('many files: every file completed', incomplete.length === 0, incomplete.length ? incomplete.map((r) => `${LABEL[r.variant]} ${r.files} × ${formatSize(r.fileBytes)} d${r.delayMs}: ${r.completed}/${r.files}`).join('; ') : `${s.runs.length} runs`);
  }
}
