// Joins the JSON of several bench runs (`npm run bench -- --only … --json a.json`) into one report:
// the Markdown and bench/out/report.html, the targets judged again over the joined sections.
// For a full run split in parts (e.g. "many files" on its own, because it takes long). A section
// present in more than one file is taken from the last one. Every part's machine line, commit and
// load average is printed, so a reader sees that the figures come from separate runs.
//
//   npx tsx bench/merge-runs.ts bench/out/a.json bench/out/b.json [--out merged.json]

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderHtmlReport } from './lib/html-report.js';
import { judgeTargets, renderReport, type BenchResults } from './lib/report.js';

const SECTIONS = ['hash', 'upload', 'uploadHttps', 'link', 'memory', 'resume', 'hidden', 'many', 'bundle'] as const;

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const outJson = outAt >= 0 ? args[outAt + 1] : undefined;
const inputs = args.filter((_, i) => outAt < 0 || (i !== outAt && i !== outAt + 1));
if (inputs.length < 2) {
  process.stderr.write('usage: tsx bench/merge-runs.ts a.json b.json [...] [--out merged.json]\n');
  process.exit(2);
}

const runs = inputs.map((path) => ({ path, results: JSON.parse(readFileSync(path, 'utf8')) as BenchResults }));
const merged: BenchResults = { ...runs[0]!.results, errors: [], durations: {} };
const parts: string[] = [];
for (const { path, results } of runs) {
  const taken = SECTIONS.filter((s) => results[s] !== undefined);
  for (const s of taken) (merged as unknown as Record<string, unknown>)[s] = results[s];
  merged.errors.push(...results.errors);
  for (const [k, v] of Object.entries(results.durations)) merged.durations[`${k} (${path})`] = v;
  const e = results.env;
  parts.push(
    `- \`${path}\`: ${taken.join(', ')}; commit ${e.commit}; ${e.date}; load average at start ` +
      `${e.loadAverage.start.map((x) => x.toFixed(2)).join(' ')}${e.loadAverage.end ? `, at end ${e.loadAverage.end.map((x) => x.toFixed(2)).join(' ')}` : ''}`,
  );
}
merged.targets = judgeTargets(merged);
const markdown = `**Joined from ${runs.length} runs** (\`bench/merge-runs.ts\`; the machine line below is the first run's):\n\n${parts.join('\n')}\n\n${renderReport(merged)}`;
process.stdout.write(markdown + '\n');
const html = join(dirname(fileURLToPath(import.meta.url)), 'out', 'report.html');
mkdirSync(dirname(html), { recursive: true });
writeFileSync(html, renderHtmlReport(merged, markdown));
process.stderr.write(`wrote ${html}\n`);
if (outJson) writeFileSync(outJson, JSON.stringify(merged, null, 2));
