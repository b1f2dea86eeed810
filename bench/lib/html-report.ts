// bench/out/report.html: one self-contained page (inline CSS and SVG, no script, no network) with
// the run's charts (throughput of each method side by side, bytes over time on the emulated links,
// main-thread gaps over time, memory over file size) and the whole Markdown report below them.

import type { ProductUploadResult } from '../sections/product-run.js';
import type { UploadSectionResult } from '../sections/upload.js';
import { formatSize, MiB } from './args.js';
import type { BenchResults } from './report.js';
import { describeMethod, uploadMethods } from './report-upload.js';
import { barChart, escapeXml, xyChart, type Bar, type Series } from './svg.js';

function throughputBars(upload: UploadSectionResult, prefix: string): Bar[] {
  return uploadMethods(upload.configs).map((base) => ({
    label: `${prefix}${describeMethod(base, upload.sliceSize).replace(/ \(.*\)$/, '')}`,
    values: [0, 50].map((d) => upload.configs[`${base}-d${d}`]?.speed.value),
  }));
}

function throughputChart(r: BenchResults): string | undefined {
  const bars = [...(r.upload ? throughputBars(r.upload, '') : []), ...(r.uploadHttps ? throughputBars(r.uploadHttps, 'https: ') : [])];
  if (!bars.length) return undefined;
  return barChart({ title: `Upload throughput of each method, ${formatSize((r.upload ?? r.uploadHttps)!.fileBytes)} over loopback (hash excluded)`, unit: 'MiB/s', series: ['0 ms', '+50 ms per request'], bars });
}

const LINK_LABELS = { raw: 'one raw fetch', sequential: 'sequential slices', product: 'product', bare: 'bare client, same lanes' } as const;

function linkCharts(r: BenchResults): string[] {
  if (!r.link) return [];
  const capacity = barChart({
    title: `Share of the emulated link's capacity, ${formatSize(r.link.fileBytes)} file`,
    unit: '% of capacity',
    series: r.link.links.map((l) => l.name),
    bars: (['raw', 'sequential', 'product', 'bare'] as const).map((method) => ({ label: LINK_LABELS[method], values: r.link!.links.map((l) => (l.runs[method]?.fractionOfCapacity ?? NaN) * 100) })),
  });
  const overTime = r.link.links.map((l) =>
    xyChart({
      title: `Bytes the link carried upstream over time, ${l.name} (from the first slice's bytes)`,
      xLabel: 'seconds',
      yLabel: 'MiB delivered',
      series: (['product', 'sequential', 'raw'] as const).flatMap((method) => {
        const run = l.runs[method];
        return run ? [{ name: LINK_LABELS[method], points: run.timeline.map((s) => [s.t / 1000, s.up / MiB] as [number, number]) }] : [];
      }),
    }),
  );
  return [capacity, ...overTime];
}

function gapsChart(r: BenchResults): string | undefined {
  const configs = Object.entries(r.upload?.configs ?? {}).filter(([key]) => key.startsWith('product'));
  const series: Series[] = configs.map(([key, config]) => {
    const run = config.runs[0] as ProductUploadResult;
    return { name: key, dots: true, points: (run.gaps.all.long ?? []).filter((g) => g.t >= run.addedAt).map((g) => [(g.t - run.addedAt) / 1000, g.gap] as [number, number]) };
  });
  if (!series.length) return undefined;
  return xyChart({ title: 'Main-thread gaps of 20 ms or more (10 ms interval), first run of each product configuration', xLabel: 'seconds since the file was chosen', yLabel: 'gap ms', series });
}

function memoryChart(r: BenchResults): string | undefined {
  const runs = r.memory?.runs ?? [];
  if (!runs.length) return undefined;
  const line = (name: string, pick: (x: (typeof runs)[number]) => number | undefined): Series => ({
    name,
    points: runs.flatMap((x) => (pick(x) === undefined ? [] : [[x.fileBytes / MiB, pick(x)! / MiB] as [number, number]])),
  });
  const c = r.memory?.control;
  return xyChart({
    title: 'Memory growth during the upload over file size (the 64 MiB target; the control keeps every slice)',
    xLabel: 'file MiB',
    yLabel: 'growth MiB',
    series: [
      line('browser processes PSS', (x) => x.processGrowth),
      line('measureUserAgentSpecificMemory', (x) => x.userAgentGrowth),
      line('JS heap', (x) => x.growth),
      { name: 'target 64 MiB', points: [[0, 64], [Math.max(...runs.map((x) => x.fileBytes), c?.fileBytes ?? 0) / MiB, 64]] },
      ...(c ? [{ name: 'control PSS (keeps every slice)', dots: true, points: [[c.fileBytes / MiB, c.processGrowth / MiB]] as Array<[number, number]> }] : []),
    ],
  });
}

/** Many files: ms per file of each client, one group of bars per file count, size and delay. */
function manyChart(r: BenchResults): string | undefined {
  const runs = r.many?.runs ?? [];
  if (!runs.length) return undefined;
  const d = r.many!.defaultParallelFiles;
  const clients = [
    { name: `product (parallel-files ${d})`, pick: (x: (typeof runs)[number]) => x.variant === 'product' && x.parallel === d },
    { name: 'one at a time', pick: (x: (typeof runs)[number]) => x.variant === 'oneAtATime' },
    { name: 'bare client', pick: (x: (typeof runs)[number]) => x.variant === 'bare' },
  ];
  const groups = [...new Set(runs.map((x) => `${x.files} × ${formatSize(x.fileBytes)}, ${x.delayMs} ms`))];
  return barChart({
    title: 'Many files: time per file (first added → last done, / files); lower is better',
    unit: 'ms per file',
    series: clients.map((c) => c.name),
    bars: groups.map((label) => ({
      label,
      values: clients.map((c) => runs.find((x) => c.pick(x) && `${x.files} × ${formatSize(x.fileBytes)}, ${x.delayMs} ms` === label)?.perFileMs),
    })),
  });
}

export function renderHtmlReport(r: BenchResults, markdown: string): string {
  const charts = [throughputChart(r), ...linkCharts(r), gapsChart(r), memoryChart(r), manyChart(r)].filter((c): c is string => c !== undefined);
  const targets = (r.targets ?? [])
    .map((t) => `<li class="${t.pass === undefined ? 'info' : t.pass ? 'pass' : 'fail'}"><b>${t.pass === undefined ? 'INFO' : t.pass ? 'PASS' : 'FAIL'}</b> ${escapeXml(t.name)}: ${escapeXml(t.detail)}</li>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vod-uploader bench ${escapeXml(r.env.date)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; max-width: 1100px; color: #222; }
figure { margin: 1.5em 0; } li.pass b { color: #1a7f37; } li.fail b { color: #cf222e; } li.info b { color: #666; }
pre { background: #f6f8fa; padding: 1em; overflow-x: auto; font-size: 12px; }
</style></head><body>
<h1>vod-uploader benchmark</h1>
<p>${escapeXml(`${r.env.cpuModel}, ${r.env.cores} cores; Chromium ${r.env.chromium}; Node ${r.env.node}; commit ${r.env.commit}; ${r.env.date}`)}. What each figure means and what limits it: bench/README.md.</p>
<h2>Targets</h2><ul>
${targets}
</ul>
<h2>Charts</h2>
${charts.map((svg) => `<figure>${svg}</figure>`).join('\n')}
<h2>All figures (the Markdown report)</h2>
<pre>${escapeXml(markdown)}</pre>
</body></html>
`;
}
