// The upload section's table and targets. Every product row carries the requests it really had in
// flight (mean / max), and is compared with bare clients run at those lanes: like against like.

import { DEFAULT_CONCURRENCY } from '../../src/engine/options.js';
import type { UploadConfigResult, UploadSectionResult } from '../sections/upload.js';
import { formatSize } from './args.js';
import { f0, f1, f2, table, type AddTarget } from './format.js';

/** The numbers a pattern's group takes over the config keys, ascending (`product-c3-d0` → 3). */
function numbersIn(configs: Record<string, unknown>, pattern: RegExp): number[] {
  const found = Object.keys(configs).map((k) => pattern.exec(k)?.[1]).filter((n) => n !== undefined);
  return [...new Set(found.map(Number))].sort((a, b) => a - b);
}

/** The concurrencies the product ran at (the `--concurrency` list). */
export const productConcurrencies = (configs: Record<string, unknown>): number[] => numbersIn(configs, /^product-c(\d+)-d\d+$/);

/** Lane counts the bare clients ran with (`parallel-l3-d0`, `rawSlices-l1-d50`). */
const lanesRun = (configs: Record<string, unknown>): number[] => numbersIn(configs, /^(?:rawSlices|parallel)-l(\d+)-d\d+$/);

const inFlight = (c: UploadConfigResult | undefined): string => (c ? `${f1(c.inFlight.mean)} / ${c.inFlight.max}` : '');

/** The bare protocol client at the lanes a product config used (1 lane: sequential slices). */
function bareAtLanes(configs: Record<string, UploadConfigResult>, product: UploadConfigResult, delayMs: number): UploadConfigResult | undefined {
  const lanes = product.inFlight.max;
  return lanes <= 1 ? configs[`sequential-d${delayMs}`] : configs[`parallel-l${lanes}-d${delayMs}`];
}

/** The methods a result holds, in the table's order: config keys without their `-d<ms>`. */
export function uploadMethods(configs: Record<string, unknown>): string[] {
  return [
    'raw',
    'sequential',
    ...lanesRun(configs).flatMap((lanes) => [`rawSlices-l${lanes}`, ...(lanes > 1 ? [`parallel-l${lanes}`] : [])]),
    ...productConcurrencies(configs).map((n) => `product-c${n}`),
  ];
}

/** What a method (`raw`, `rawSlices-l3`, `parallel-l3`, `product-c5`...) is, for a table row or a chart bar. */
export function describeMethod(base: string, sliceSize: number): string {
  const n = Number(/-[lc](\d+)$/.exec(base)?.[1]);
  if (base === 'raw') return 'one raw fetch of the whole file (/__raw)';
  if (base === 'sequential') return 'sequential slices (SDK style, 1 lane)';
  if (base.startsWith('rawSlices')) return `raw slices, ${n} lane${n > 1 ? 's' : ''}, no protocol (the browser's cost per ${formatSize(sliceSize)} request)`;
  if (base.startsWith('parallel')) return `bare parallel slices, ${n} lanes (ceiling of a client of this protocol)`;
  return `product, concurrency ${n}`;
}

export function renderUploadTable(upload: UploadSectionResult, title: string): string {
  const c = upload.configs;
  const speed = (key: string, withHash = false) => f0((withHash ? c[key]?.speedWithHash : c[key]?.speed)?.value);
  const row = (label: string, key: (d: number) => string, withHash = false): string[] => [
    label,
    speed(key(0)),
    inFlight(c[key(0)]),
    speed(key(50)),
    inFlight(c[key(50)]),
    withHash ? speed(key(0), true) : '',
    withHash ? speed(key(50), true) : '',
  ];
  const slice = formatSize(upload.sliceSize);
  const rows = uploadMethods(c).map((base) => row(describeMethod(base, upload.sliceSize), (d) => `${base}-d${d}`, base.startsWith('product')));
  return `\n### ${title}, slice ${slice} (MiB/s; in flight = upload requests open at once, time-weighted mean / max)\n\n` +
    table(['method', '0 ms', 'in flight', '+50 ms per request', 'in flight', 'with hash, 0 ms', 'with hash, 50 ms'], rows);
}

export function uploadTargets(upload: UploadSectionResult | undefined, add: AddTarget, scheme = ''): void {
  const u = upload?.configs;
  const dc = DEFAULT_CONCURRENCY;
  const on = scheme ? ` (${scheme})` : '';
  if (!u) {
    if (!scheme) add('upload targets', undefined, 'upload section not run');
    return;
  }
  const product = (d: number) => u[`product-c${dc}-d${d}`];
  const described = (c: UploadConfigResult) => `${f0(c.speed.value)} MiB/s, ${inFlight(c)} in flight`;
  for (const d of [0, 50]) {
    const p = product(d);
    if (!p) continue;
    const raw = u[`raw-d${d}`];
    if (raw) add(`upload${on}, default concurrency ${dc}, vs one raw fetch at ${d} ms (reported, no target)`, undefined, `${f2(p.speed.value / raw.speed.value)}× (${described(p)} vs ${f0(raw.speed.value)} MiB/s)`);
    const rawSlices = u[`rawSlices-l${p.inFlight.max}-d${d}`];
    if (rawSlices) {
      const ratio = p.speed.value / rawSlices.speed.value;
      add(`upload${on} ≥ 0.95× raw slices of the same size and lanes at ${d} ms`, ratio >= 0.95, `${f2(ratio)}× (product ${described(p)} vs raw slices ${described(rawSlices)})`);
    }
    const bare = bareAtLanes(u, p, d);
    if (bare) add(`upload${on}: product vs the bare protocol client at the same lanes, ${d} ms (reported, no target: the product's own cost)`, undefined, `${f2(p.speed.value / bare.speed.value)}× (${described(p)} vs ${described(bare)})`);
  }
  const p50 = product(50);
  const seq = u[`sequential-d50`];
  if (p50 && seq) {
    const ratio = p50.speed.value / seq.speed.value;
    add(`upload${on} (default concurrency ${dc}) ≥ 2.5× sequential slices at 50 ms`, ratio >= 2.5, `${f2(ratio)}× (${described(p50)} vs ${described(seq)})`);
  }
}

/** What TLS and HTTP/2 change: each configuration run over both, side by side. */
export function renderSchemeComparison(http: UploadSectionResult, https: UploadSectionResult): string {
  const keys = Object.keys(https.configs).filter((key) => http.configs[key]);
  const versions = (c: UploadConfigResult) => Object.entries(c.httpVersions).map(([v, n]) => `${v}: ${n}`).join(', ');
  const rows = keys.map((key) => {
    const a = http.configs[key]!;
    const b = https.configs[key]!;
    return [key, f0(a.speed.value), f0(b.speed.value), f2(b.speed.value / a.speed.value), inFlight(a), inFlight(b), versions(b)];
  });
  return `\n### HTTP against HTTPS, same configurations (MiB/s; requests answered per HTTP version over HTTPS)\n\n` +
    table(['configuration', 'http', 'https', 'https / http', 'in flight http', 'in flight https', 'HTTPS requests by version'], rows);
}
