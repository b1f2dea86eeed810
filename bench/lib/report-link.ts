// The link section's table and targets: each method as a fraction of the emulated link's capacity.

import type { LinkSectionResult } from '../sections/link.js';
import { formatSize, MiB } from './args.js';
import { f0, f1, f2, table, type AddTarget } from './format.js';

const LABELS = { raw: 'one raw fetch of the whole file', sequential: 'sequential slices (SDK style)', product: 'product, default concurrency', bare: 'bare parallel slices, lanes = product max' } as const;

export function renderLinkTable(link: LinkSectionResult): string {
  const rows = link.links.flatMap((l) =>
    (['raw', 'sequential', 'product', 'bare'] as const).flatMap((method) => {
      const run = l.runs[method];
      if (!run) return [];
      const label = method === 'bare' ? `bare parallel slices, ${run.lanes} lanes` : LABELS[method];
      return [[l.name, label, f1(link.fileBytes / MiB / (run.ms / 1000)), f0(run.fractionOfCapacity * 100), f0(run.movingFraction * 100), f0(run.fixedMs), `${f1(run.inFlight.mean)} / ${run.inFlight.max}`, f1(run.ms / 1000)]];
    }),
  );
  return `\n### Upload of a ${formatSize(link.fileBytes)} file over an emulated link (${link.scheme}; TCP proxy: shared rate per direction, half the RTT each way)\n\n` +
    table(['link', 'method', 'MiB/s', '% of capacity', '% while bytes moved', 'ms before/after the bytes', 'in flight', 'seconds'], rows);
}

export function linkTargets(link: LinkSectionResult | undefined, add: AddTarget): void {
  if (!link) return;
  for (const l of link.links) {
    const p = l.runs.product;
    const b = l.runs.bare;
    const bare = b ? `; bare client, ${b.lanes} lanes, ${f2(b.fractionOfCapacity)}×` : '';
    if (p) add(`link ${l.name}: product ≥ 0.9× the link's capacity`, p.fractionOfCapacity >= 0.9, `${f2(p.fractionOfCapacity)}× (${f1(p.inFlight.mean)} / ${p.inFlight.max} in flight, ${f2(p.movingFraction)}× while bytes moved; one raw fetch ${f2(l.runs.raw?.fractionOfCapacity)}×${bare})`);
  }
  const far = link.links.reduce<LinkSectionResult['links'][number] | undefined>((a, b) => (!a || b.rttMs > a.rttMs ? b : a), undefined);
  const p = far?.runs.product;
  const s = far?.runs.sequential;
  if (far && p && s) {
    const ratio = s.ms / p.ms;
    add(`link ${far.name}: product ≥ 2× sequential slices`, ratio >= 2, `${f2(ratio)}× (${f2(p.fractionOfCapacity)} vs ${f2(s.fractionOfCapacity)} of capacity)`);
  }
}
