// The bench's output: the Markdown tables printed to the terminal and put in bench/README.md, and
// the targets, each judged PASS / FAIL (or n/a when its section did not run).

import { renderHidden, type HiddenSectionResult } from '../sections/hidden.js';
import type { BundleFile, BundleSectionResult } from '../sections/bundle.js';
import { BIG_FILE_BYTES, chromiumHash, FILE_READER_KINDS, type EngineHashResult, type HashSectionResult } from '../sections/hash.js';
import type { ManySectionResult } from '../sections/many-files.js';
import type { MemorySectionResult } from '../sections/memory.js';
import type { ProductUploadResult } from '../sections/product-run.js';
import type { LinkSectionResult } from '../sections/link.js';
import type { ResumeSectionResult } from '../sections/resume.js';
import type { BaselineRun, UploadSectionResult } from '../sections/upload.js';
import { CHECKPOINT_EVERY } from '../../src/hashing/hash-core.js';
import { formatSize } from './args.js';
import { gapsBetween, lessWaitingOf, type GapResult } from './browser.js';
import { splitText } from './sched-probe.js';
import { f0, f1, f2, kb, mib, table } from './format.js';
import { linkTargets, renderLinkTable } from './report-link.js';
import { manyTargets, renderManyTable } from './report-many.js';
import { memoryTargets, renderMemoryTables } from './report-memory.js';
import { renderSchemeComparison, renderUploadTable, uploadTargets } from './report-upload.js';
import type { Environment } from './env.js';

export interface BenchResults {
  env: Environment & { loadAverage: { start: number[]; end?: number[] } };
  options: Record<string, unknown>;
  hash?: HashSectionResult;
  upload?: UploadSectionResult;
  /** The upload rows over HTTPS (the server's HTTP/2 + HTTP/1.1 mode). */
  uploadHttps?: UploadSectionResult;
  link?: LinkSectionResult;
  memory?: MemorySectionResult;
  resume?: ResumeSectionResult;
  hidden?: HiddenSectionResult;
  many?: ManySectionResult;
  bundle?: BundleSectionResult;
  targets?: Target[];
  errors: string[];
  /** Seconds each section took. */
  durations: Record<string, number>;
}

export interface Target {
  name: string;
  /** undefined: not measured in this run. */
  pass?: boolean;
  detail: string;
}

function productRuns(upload: UploadSectionResult | undefined): ProductUploadResult[] {
  if (!upload) return [];
  return Object.entries(upload.configs)
    .filter(([key]) => key.startsWith('product'))
    .flatMap(([, config]) => config.runs as ProductUploadResult[]);
}

/** Main-thread gaps of the sequential and parallel baseline pages (no UI, almost no script). */
function baselineGaps(upload: UploadSectionResult | undefined): { maxGapMs: number; gapsOver50: number; maxFrameGapMs: number; maxBusyOrAsleepMs?: number; busyOrAsleepOver50?: number } | undefined {
  if (!upload) return undefined;
  const runs = Object.entries(upload.configs)
    .filter(([key]) => key.startsWith('sequential') || key.startsWith('parallel'))
    .flatMap(([, config]) => config.runs as BaselineRun[])
    .filter((run) => run.gaps);
  if (runs.length === 0) return undefined;
  const lessWaiting = lessWaitingOf(runs.map((x) => gapsBetween(x.gaps, -Infinity, Infinity)));
  return {
    maxGapMs: Math.max(...runs.map((x) => x.gaps.maxGapMs)),
    gapsOver50: runs.reduce((sum, x) => sum + x.gaps.gapsOver50, 0),
    maxFrameGapMs: Math.max(...runs.map((x) => x.gaps.maxFrameGapMs)),
    maxBusyOrAsleepMs: lessWaiting?.maxMs,
    busyOrAsleepOver50: lessWaiting?.over50,
  };
}

export function judgeTargets(r: BenchResults): Target[] {
  const targets: Target[] = [];
  const h = chromiumHash(r.hash);
  const add = (name: string, pass: boolean | undefined, detail: string) => targets.push({ name, pass, detail });
  for (const e of r.hash?.engines ?? []) {
    // Each engine against its own ceiling: the kernel fed by the fastest way that engine reads a file.
    const want = e.engine === 'chromium' ? 0.9 : 0.85;
    const k = e.fileKernel.value;
    add(`${e.engine}: worker hash ≥ ${want}× that engine's file kernel`, e.product.value >= want * k, `${f2(e.product.value / k)}× (${f0(e.product.value)} vs ${f0(k)} MiB/s, ${e.fileKernel.reader}; ${e.version})`);
    if (e.big) add(`${e.engine}: product hashes a ${formatSize(BIG_FILE_BYTES)} sparse file right`, e.big.shaOk, `${f0(e.big.mibps)} MiB/s, sha ${e.big.shaOk ? 'matches Node' : 'WRONG'}`);
  }
  for (const s of r.hash?.skipped ?? []) add(`${s.engine}: hash section`, false, `not run: ${s.reason}`);
  if (h) {
    const p = h.product.value;
    add('chromium: worker hash ≥ 1.1× raw read-then-hash loop', p >= 1.1 * h.rawLoop.value, `${f2(p / h.rawLoop.value)}× (${f0(p)} vs ${f0(h.rawLoop.value)} MiB/s)`);
    add('chromium: worker hash ≥ 0.75× in-memory kernel', p >= 0.75 * h.kernel.value, `${f2(p / h.kernel.value)}× (${f0(p)} vs ${f0(h.kernel.value)} MiB/s)`);
    add('chromium: worker hash ≥ 8× crypto-js', p >= 8 * h.cryptoJs.value, `${f1(p / h.cryptoJs.value)}× (${f0(p)} vs ${f1(h.cryptoJs.value)} MiB/s)`);
    const native = Math.max(r.hash?.sha1sum?.value ?? 0, r.hash?.opensslSha1?.value ?? 0);
    add('worker hash vs native (reported, no target)', undefined, native ? `${f2(p / native)}× of the fastest native tool (${f0(native)} MiB/s)` : 'no native tool');
  } else add('hash targets', undefined, 'hash section not run in Chromium');

  uploadTargets(r.upload, add);
  uploadTargets(r.uploadHttps, add, 'https');
  linkTargets(r.link, add);

  const runs = productRuns(r.upload);
  if (h || runs.length) {
    const hashGap = Math.max(h?.gaps?.maxGapMs ?? 0, ...runs.map((x) => x.gaps.hash.maxGapMs));
    const uploadGap = Math.max(0, ...runs.map((x) => x.gaps.upload.maxGapMs));
    const over = (h?.gaps?.gapsOver50 ?? 0) + runs.reduce((s, x) => s + x.gaps.hash.gapsOver50 + x.gaps.upload.gapsOver50, 0);
    const control = baselineGaps(r.upload);
    const controlText = control ? ` (control, bare slice-upload pages under the same load: longest ${f0(control.maxGapMs)} ms, ${control.gapsOver50} over 50 ms)` : '';
    // Without upload runs only the hashing half was measured: say so in the label, not "0 ms uploading".
    if (runs.length) add('no main-thread gap over 50 ms during hash and upload', Math.max(hashGap, uploadGap) <= 50, `longest ${f0(hashGap)} ms hashing, ${f0(uploadGap)} ms uploading; ${over} gaps over 50 ms${controlText}`);
    else add('no main-thread gap over 50 ms while hashing (upload section not run)', hashGap <= 50, `longest ${f0(hashGap)} ms; ${over} gaps over 50 ms`);
    const phases = runs.flatMap((x) => [x.gaps.hash, x.gaps.upload]);
    const lessWaiting = lessWaitingOf(phases);
    if (lessWaiting) {
      // The same gaps less the time the kernel kept the main thread waiting for a core (sched-probe.ts).
      const { maxMs: own, over50: ownOver } = lessWaiting;
      const longest = phases.reduce((a, b) => (b.maxGapMs > a.maxGapMs ? b : a));
      const controlOwn = control?.maxBusyOrAsleepMs !== undefined ? `; control: ${f0(control.maxBusyOrAsleepMs)} ms` : '';
      const onCpu = Math.max(...phases.map((p) => p.maxOnCpuMs!));
      add('no main-thread gap over 50 ms during hash and upload, less the time the thread waited for a core', own <= 50, `longest ${f0(own)} ms, ${ownOver} over 50 ms${controlOwn}; the longest gap (${f0(longest.maxGapMs)} ms): ${splitText(longest.longest)}; the most on a core in one gap: ${f0(onCpu)} ms`);
    }
  }

  memoryTargets(r.memory, add);
  manyTargets(r.many, add);

  const s = r.resume;
  if (s) {
    const limit = s.concurrency * s.sliceSize;
    add('after a reload: re-sent bytes ≤ concurrency × slice size', s.completed && s.bytesDuplicate <= limit, `${s.bytesDuplicate} bytes sent twice, limit ${limit}${s.completed ? '' : '; the upload did not complete'}`);
    add('after a reload: no full re-hash of an unchanged file', !s.rehashed, s.rehashed ? `hashing seen after the reload (first hashedBytes ${s.firstHashedBytes})` : 'hashedBytes full at once, no hashing phase');
    const k = s.checkpoint;
    if (!k) add('after a reload at 50 % of hashing: bytes hashed again ≤ one checkpoint interval', undefined, `not run: the file is under two checkpoint intervals (${mib(2 * CHECKPOINT_EVERY)} MiB)`);
    else {
      const name = 'after a reload at 50 % of hashing: bytes hashed again ≤ one checkpoint interval';
      const detail = `${mib(k.bytesHashedAgain)} MiB hashed again (reloaded at ${mib(k.hashedAtReload)} MiB, resumed from ${mib(k.resumedFrom)} MiB), interval ${mib(k.checkpointEvery)} MiB`;
      // Below two intervals no checkpoint can exist at 50 %: the target cannot tell a checkpoint from none.
      if (s.fileBytes < 2 * k.checkpointEvery) add(name, undefined, `${detail}; the file is under two intervals, so this run cannot judge it`);
      // Resumed at the full size: the whole-file sha was stored, hashing had finished before the page went.
      else if (k.resumedFrom >= s.fileBytes) add(name, undefined, `${detail}; hashing finished before the reload took effect, so this run cannot judge it`);
      else add(name, k.bytesHashedAgain <= k.checkpointEvery, detail);
    }
  }
  const b = r.bundle;
  if (b) add('bundle with worker ≤ 40 KB gzip', b.bundle.gzip <= 40_000, `${kb(b.bundle.gzip)} KB gzip (${b.bundle.files.map((x) => `${x.path.replace('dist/', '')} ${kb(x.gzip)}`).join(' + ')})`);
  // A page in another language than English also loads that language's chunk: the target holds for it too.
  const largest = b?.onDemand?.filter((x) => x.language).reduce<BundleFile | undefined>((max, x) => (!max || x.gzip > max.gzip ? x : max), undefined);
  if (b && largest) {
    add('bundle with worker and its largest language chunk ≤ 40 KB gzip', b.bundle.gzip + largest.gzip <= 40_000, `${kb(b.bundle.gzip + largest.gzip)} KB gzip (+ ${largest.path.replace('dist/', '')} ${kb(largest.gzip)})`);
  }
  return targets;
}

/** One column per engine: MiB/s, and in brackets the ratio to that engine's file kernel. */
function renderHash(h: HashSectionResult): string {
  const cell = (e: EngineHashResult, v: number | undefined) => (v === undefined ? '–' : `${f0(v)} (${f2(v / e.fileKernel.value)})`);
  const rows: Array<[string, (e: EngineHashResult) => number | undefined, string]> = [
    ['product: worker, hash-wasm, the reader file-readers.ts picks', (e) => e.product.value, ''],
    ['raw loop: read 8 MiB, then hash (bare worker)', (e) => e.rawLoop.value, ''],
    ...FILE_READER_KINDS.map((k): [string, (e: EngineHashResult) => number | undefined, string] => [
      `file kernel, ${k} reader (bare worker)`,
      (e) => e.fileKernels[k]?.value,
      k === 'byob' ? 'BYOB into one 2 MiB buffer' : k === 'stream' ? 'default reader, engine\'s chunks' : '4 MiB slices, 3 ahead',
    ]),
    ['hash-wasm kernel on a buffer in memory', (e) => e.kernel.value, 'no reads'],
    ['crypto-js incremental', (e) => e.cryptoJs.value, `first ${formatSize(h.legacyBytes)}`],
    ['jsSHA incremental', (e) => e.jsSha.value, `first ${formatSize(h.legacyBytes)}`],
    [`product on a ${formatSize(BIG_FILE_BYTES)} sparse file`, (e) => e.big?.mibps, 'full run; once'],
  ];
  const out = [`\n### Hash: SHA-1 of a ${formatSize(h.fileBytes)} file (MiB/s, median of ${h.engines[0]!.product.samples.length}; × the engine's fastest file kernel)\n`];
  out.push(table(['method', ...h.engines.map((e) => e.version), 'note'], rows.map(([name, get, note]) => [name, ...h.engines.map((e) => cell(e, get(e))), note])));
  out.push(`\nNative, file in page cache: sha1sum ${f0(h.sha1sum?.value)} MiB/s, openssl sha1 ${f0(h.opensslSha1?.value)} MiB/s.`);
  return out.join('\n');
}

export function renderReport(r: BenchResults): string {
  const out: string[] = [];
  const e = r.env;
  out.push(`**Machine**: ${e.cpuModel}, ${e.cores} cores, ${e.memoryGiB} GiB; ${e.chromium ? `Chromium ${e.chromium}` : ''}; Node ${e.node}; ${e.os}; commit ${e.commit}; ${e.date}`);
  // Only the 1-minute figure at the start says whether other work was running: by the end the bench's
  // own browser, server and driver keep the load above the core count on a 2-core machine.
  const busy = (e.loadAverage.start[0] ?? 0) > e.cores;
  out.push(
    `Load average at start ${e.loadAverage.start.map(f2).join(' ')}` +
      (e.loadAverage.end ? `, at end ${e.loadAverage.end.map(f2).join(' ')} (the end includes the bench's own browser, server and driver)` : '') +
      (busy ? ' (**busy machine: other processes were running at the start; figures are low and noisy**)' : ''),
  );
  if (r.hash?.engines.length) out.push(renderHash(r.hash));
  if (r.upload) out.push(renderUploadTable(r.upload, `Upload of a ${formatSize(r.upload.fileBytes)} file over loopback`));
  if (r.uploadHttps) {
    out.push(renderUploadTable(r.uploadHttps, `Upload of a ${formatSize(r.uploadHttps.fileBytes)} file over loopback, HTTPS (HTTP/2 and HTTP/1.1 by ALPN)`));
    if (r.upload) out.push(renderSchemeComparison(r.upload, r.uploadHttps));
  }
  if (r.link) out.push(renderLinkTable(r.link));
  if (r.hidden) out.push(renderHidden(r.hidden));
  const runs = productRuns(r.upload);
  const ch = chromiumHash(r.hash);
  if (ch?.gaps || runs.length) {
    out.push('\n### Main thread (10 ms interval; gaps over 50 ms counted)\n');
    const rows: string[][] = [];
    // Less waiting: each gap less the time its thread was runnable but not on a core (sched-probe.ts).
    const lessWaiting = (phases: Parameters<typeof lessWaitingOf>[0]): string[] => {
      const lw = lessWaitingOf(phases);
      return lw ? [f0(lw.maxMs), String(lw.over50)] : ['–', '–'];
    };
    const whole = (g: GapResult) => gapsBetween(g, -Infinity, Infinity);
    if (ch?.idleGaps) rows.push(['idle page (control: the machine, no work)', f0(ch.idleGaps.maxGapMs), String(ch.idleGaps.gapsOver50), f0(ch.idleGaps.maxFrameGapMs), ...lessWaiting([whole(ch.idleGaps)])]);
    const control = baselineGaps(r.upload);
    if (control) rows.push(['bare slice-upload pages (control: the same upload load, no product; all baseline runs)', f0(control.maxGapMs), String(control.gapsOver50), f0(control.maxFrameGapMs), ...lessWaiting([control])]);
    if (ch?.gaps) rows.push(['hash section (product hasher)', f0(ch.gaps.maxGapMs), String(ch.gaps.gapsOver50), f0(ch.gaps.maxFrameGapMs), ...lessWaiting([whole(ch.gaps)])]);
    if (runs.length) {
      rows.push(['element, hashing phase (all upload runs)', f0(Math.max(...runs.map((x) => x.gaps.hash.maxGapMs))), String(runs.reduce((s, x) => s + x.gaps.hash.gapsOver50, 0)), '', ...lessWaiting(runs.map((x) => x.gaps.hash))]);
      rows.push(['element, upload phase (all upload runs)', f0(Math.max(...runs.map((x) => x.gaps.upload.maxGapMs))), String(runs.reduce((s, x) => s + x.gaps.upload.gapsOver50, 0)), f0(Math.max(...runs.map((x) => x.gaps.all.maxFrameGapMs))), ...lessWaiting(runs.map((x) => x.gaps.upload))]);
    }
    out.push(table(['phase', 'longest gap ms', 'gaps > 50 ms', 'longest frame gap ms', 'longest less waiting for a core ms', 'so > 50 ms'], rows));
  }
  if (r.memory) out.push(renderMemoryTables(r.memory));
  if (r.many) out.push(renderManyTable(r.many));
  if (r.resume) {
    const s = r.resume;
    out.push(`\n### Resume: reload during the upload of a ${formatSize(s.fileBytes)} file, choose it again\n`);
    out.push(table(['reloaded at', 'bytes sent twice', 'allowed (c × slice)', 'to first new slice ms', 'to done ms', 're-hashed'], [
      [`${f0(s.reloadedAtFraction * 100)}%`, String(s.bytesDuplicate), String(s.concurrency * s.sliceSize), f0(s.msToFirstNewSlice), f0(s.msToDone), s.rehashed ? 'yes' : 'no'],
    ]));
    const k = s.checkpoint;
    if (k) {
      out.push(`\nReload at 50 % of hashing (the checkpoint path; MiB):\n`);
      out.push(table(['hashed at reload', 'resumed from', 'hashed again', 'allowed (one checkpoint interval)', 'to hashed ms'], [
        [mib(k.hashedAtReload), mib(k.resumedFrom), mib(k.bytesHashedAgain), mib(k.checkpointEvery), f0(k.msToHashed)],
      ]));
    }
  }
  if (r.bundle) {
    const b = r.bundle;
    out.push(`\n### Bundle (gzip -9; dist built ${b.builtAt})\n`);
    out.push(table(['what', 'files', 'bytes', 'gzip KB'], [
      ['vod-uploader.bundle.js + worker', String(b.bundle.files.length), String(b.bundle.bytes), kb(b.bundle.gzip)],
      ...(b.onDemand ?? []).map((x) => [`on demand: ${x.path.replace('dist/', '')}`, '1', String(x.bytes), kb(x.gzip)]),
      ['npm entry dist/index.js + local imports + worker', String(b.npmEntry.files.length), String(b.npmEntry.bytes), kb(b.npmEntry.gzip)],
    ]));
    if (b.bundleSources?.length) {
      out.push(`\nLargest sources in the bundle (bytes / gzip alone): ${b.bundleSources.map((x) => `${x.source} ${x.bytes}/${x.gzip}`).join(', ')}`);
    }
  }
  // In a code block: the PASS/FAIL lines stay one per line when the Markdown is rendered (README).
  out.push('\n### Targets\n\n```');
  for (const t of r.targets ?? []) out.push(`${t.pass === undefined ? 'INFO' : t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.detail}`);
  for (const err of r.errors) out.push(`ERROR  ${err}`);
  out.push('```');
  out.push(`\nSeconds per section: ${Object.entries(r.durations).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  return out.join('\n') + '\n';
}

