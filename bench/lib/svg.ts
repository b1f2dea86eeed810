// Plain SVG charts for the HTML report (no library, no network): horizontal bars and x/y lines or
// points, with axes, ticks and a legend. Strings in, a string of SVG out.

export interface Bar {
  label: string;
  /** One value per series (undefined: not measured). */
  values: Array<number | undefined>;
}

export interface Series {
  name: string;
  points: Array<[number, number]>;
  /** Points only (no line between them): for events such as main-thread gaps. */
  dots?: boolean;
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
const FONT = 'font-family="system-ui, sans-serif" font-size="12"';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** About `count` round tick values from 0 (or `min`) to at least `max`. */
export function ticks(max: number, count = 5, min = 0): number[] {
  const span = Math.max(max - min, 1e-9);
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.floor(min / step) * step; v <= max + step * 0.999; v += step) out.push(+v.toFixed(10));
  return out;
}

const legend = (names: string[], x: number, y: number): string =>
  names
    .map((name, i) => `<rect x="${x}" y="${y + i * 16}" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/><text x="${x + 14}" y="${y + i * 16 + 9}" ${FONT}>${escapeXml(name)}</text>`)
    .join('');

/** Horizontal bars, one group per label, one bar per series. */
export function barChart(options: { title: string; unit: string; series: string[]; bars: Bar[] }): string {
  const labelWidth = 330;
  const plotWidth = 420;
  const barHeight = 12;
  const groupHeight = options.series.length * barHeight + 8;
  const top = 30;
  const height = top + options.bars.length * groupHeight + 40 + options.series.length * 16;
  const max = Math.max(1e-9, ...options.bars.flatMap((b) => b.values.filter((v): v is number => v !== undefined)));
  const axis = ticks(max);
  const scale = (v: number) => (v / axis.at(-1)!) * plotWidth;
  const parts = [`<text x="0" y="16" ${FONT} font-weight="bold">${escapeXml(options.title)}</text>`];
  for (const t of axis) {
    const x = labelWidth + scale(t);
    parts.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${top + options.bars.length * groupHeight}" stroke="#ddd"/>`);
    parts.push(`<text x="${x}" y="${top + options.bars.length * groupHeight + 14}" ${FONT} text-anchor="middle">${t}</text>`);
  }
  options.bars.forEach((bar, i) => {
    const y = top + i * groupHeight;
    parts.push(`<text x="${labelWidth - 6}" y="${y + groupHeight / 2 + 3}" ${FONT} text-anchor="end">${escapeXml(bar.label)}</text>`);
    bar.values.forEach((v, s) => {
      if (v === undefined) return;
      const by = y + 4 + s * barHeight;
      parts.push(`<rect x="${labelWidth}" y="${by}" width="${scale(v).toFixed(1)}" height="${barHeight - 2}" fill="${COLORS[s % COLORS.length]}"><title>${escapeXml(`${bar.label}, ${options.series[s]}: ${v.toFixed(1)} ${options.unit}`)}</title></rect>`);
      parts.push(`<text x="${labelWidth + scale(v) + 4}" y="${by + 9}" ${FONT} font-size="10">${v.toFixed(0)}</text>`);
    });
  });
  const axisY = top + options.bars.length * groupHeight;
  parts.push(`<text x="${labelWidth + plotWidth / 2}" y="${axisY + 30}" ${FONT} text-anchor="middle">${escapeXml(options.unit)}</text>`);
  parts.push(legend(options.series, labelWidth, axisY + 40));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${labelWidth + plotWidth + 40}" height="${height}">${parts.join('')}</svg>`;
}

/** Lines (or dots) over a numeric x axis. */
export function xyChart(options: { title: string; xLabel: string; yLabel: string; series: Series[]; width?: number; height?: number }): string {
  const width = options.width ?? 760;
  const height = options.height ?? 320;
  const left = 60;
  const right = 20;
  const top = 30;
  const bottom = 50 + options.series.length * 16;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const all = options.series.flatMap((s) => s.points);
  const xTicks = ticks(Math.max(1e-9, ...all.map((p) => p[0])));
  const yTicks = ticks(Math.max(1e-9, ...all.map((p) => p[1])));
  const sx = (x: number) => left + (x / xTicks.at(-1)!) * plotW;
  const sy = (y: number) => top + plotH - (y / yTicks.at(-1)!) * plotH;
  const parts = [`<text x="0" y="16" ${FONT} font-weight="bold">${escapeXml(options.title)}</text>`];
  for (const t of yTicks) parts.push(`<line x1="${left}" y1="${sy(t)}" x2="${left + plotW}" y2="${sy(t)}" stroke="#ddd"/><text x="${left - 6}" y="${sy(t) + 4}" ${FONT} text-anchor="end">${t}</text>`);
  for (const t of xTicks) parts.push(`<line x1="${sx(t)}" y1="${top}" x2="${sx(t)}" y2="${top + plotH}" stroke="#eee"/><text x="${sx(t)}" y="${top + plotH + 14}" ${FONT} text-anchor="middle">${t}</text>`);
  parts.push(`<text x="${left + plotW / 2}" y="${top + plotH + 30}" ${FONT} text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  parts.push(`<text x="12" y="${top + plotH / 2}" ${FONT} text-anchor="middle" transform="rotate(-90 12 ${top + plotH / 2})">${escapeXml(options.yLabel)}</text>`);
  options.series.forEach((series, i) => {
    const color = COLORS[i % COLORS.length];
    if (series.dots) {
      for (const [x, y] of series.points) parts.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2.5" fill="${color}"/>`);
    } else if (series.points.length) {
      const d = series.points.map(([x, y], j) => `${j ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('');
      parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8"/>`);
      if (series.points.length < 12) for (const [x, y] of series.points) parts.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${color}"/>`);
    }
  });
  parts.push(legend(options.series.map((s) => s.name), left, top + plotH + 40));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`;
}
