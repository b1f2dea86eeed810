// `npm run bench`: measures the product against its peers' approaches and the machine's limits
// (hash, upload, main thread, memory, resume, bundle), prints Markdown tables with PASS/FAIL lines
// for the targets, and writes every figure as JSON with --json. Exit code: 0 when the bench ran
// (targets are reported, not enforced), 1 when the bench itself (or the product under it) broke.

import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_CONCURRENCY } from '../src/engine/options.js';
import { CHECKPOINT_EVERY } from '../src/hashing/hash-core.js';
import { formatSize, parseArgs, type BenchOptions } from './lib/args.js';
import { startBrowserHarness, type BrowserHarness } from './lib/browser.js';
import { describeEnvironment } from './lib/env.js';
import { BENCH_DIR, benchFile, nodeSha1 } from './lib/files.js';
import { renderHtmlReport } from './lib/html-report.js';
import { judgeTargets, renderReport, type BenchResults } from './lib/report.js';
import { runBundleSection } from './sections/bundle.js';
import { runHashSection } from './sections/hash.js';
import { runHiddenSection } from './sections/hidden.js';
import { runLinkSection } from './sections/link.js';
import { runManyFilesSection } from './sections/many-files.js';
import { runMemorySection } from './sections/memory.js';
import { runHashReload, runResumeSection } from './sections/resume.js';
import { runUploadSection } from './sections/upload.js';


/** The self-contained HTML report of the run (charts + the Markdown tables). */
const HTML_REPORT = join(BENCH_DIR, 'out', 'report.html');

function writeJson(path: string, results: BenchResults): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, JSON.stringify(results, null, 2));
}

function log(line: string): void {
  process.stderr.write(line + '\n');
}

async function main(options: BenchOptions): Promise<BenchResults> {
  const started = performance.now();
  const wants = (section: string): boolean => !options.only || options.only.has(section);
  const results: BenchResults = {
    env: { ...describeEnvironment(''), loadAverage: { start: loadavg() } },
    options: { ...options, only: options.only && [...options.only] },
    errors: [],
    durations: {},
  };
  // Each section on its own: one that breaks is reported, and the others still run.
  const section = async (name: string, work: () => Promise<void>): Promise<void> => {
    if (!wants(name)) return;
    const t = performance.now();
    log(`${name}…`);
    try {
      await work();
    } catch (error) {
      results.errors.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      log(`  ! ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    results.durations[name] = Math.round((performance.now() - t) / 100) / 10;
    log(`  (${name}: ${results.durations[name]} s)`);
    // The JSON so far after every section: a long run stopped midway keeps what it measured (merge-runs.ts joins parts).
    if (options.json) writeJson(options.json, results);
  };

  await section('bundle', async () => {
    results.bundle = runBundleSection({ build: options.build }, log);
  });
  const needsBrowser = ['hash', 'upload', 'https', 'link', 'memory', 'resume', 'hidden', 'many'].some(wants);
  const needsBigFile = ['hash', 'upload', 'https', 'link', 'memory', 'resume'].some(wants);
  if (needsBrowser) {
    const path = needsBigFile ? await benchFile(options.size, log) : '';
    const sha = needsBigFile ? await nodeSha1(path) : '';
    const file = { path, size: options.size, sha, prefixSha: (bytes: number) => nodeSha1(path, bytes) };
    const known = new Map([[options.size, { path, sha }]]);
    if (needsBigFile) log(`file ${formatSize(options.size)} ${path} sha ${sha}`);
    let harness: BrowserHarness | undefined;
    try {
      harness = await startBrowserHarness();
      const h = harness;
      results.env.chromium = h.browser.version();
      await section('hash', async () => {
        results.hash = await runHashSection(
          h,
          file,
          { reps: options.hashReps, quick: options.quick, engines: options.engines, bigFile: options.bigFile },
          log,
        );
        if (!results.hash.shaOk) results.errors.push('hash: a hash did not match Node’s SHA-1');
      });
      await section('upload', async () => {
        results.upload = await runUploadSection(h, file, { ...options, reps: options.uploadReps }, log);
        if (!results.upload.shaOk) results.errors.push('upload: a file arrived with the wrong sha');
      });
      await section('https', async () => {
        // The upload rows again over TLS (HTTP/2 and HTTP/1.1 by ALPN), at the default concurrency.
        // Quick: at 0 ms only (the smoke run checks that the path works, not what 50 ms adds).
        const delays = options.quick ? [0] : undefined;
        results.uploadHttps = await runUploadSection(h, file, { ...options, reps: options.uploadReps, concurrencies: [DEFAULT_CONCURRENCY], https: true, delays }, log);
        if (!results.uploadHttps.shaOk) results.errors.push('https: a file arrived with the wrong sha');
      });
      await section('link', async () => {
        const path = await benchFile(options.linkSize, log);
        const linkFile = { path, size: options.linkSize, sha: await nodeSha1(path) };
        results.link = await runLinkSection(h, linkFile, options, log);
        if (!results.link.shaOk) results.errors.push('link: an upload was not accepted');
      });
      await section('hidden', async () => {
        results.hidden = await runHiddenSection(h, log);
        if (!results.hidden.shaOk) results.errors.push('hidden: a file arrived with the wrong sha');
      });
      await section('memory', async () => {
        results.memory = await runMemorySection(h, options.memorySizes, known, { ...options, concurrency: DEFAULT_CONCURRENCY }, log);
      });
      await section('resume', async () => {
        results.resume = await runResumeSection(h, file, { ...options, concurrency: DEFAULT_CONCURRENCY }, log);
        // Below two checkpoint intervals no checkpoint exists at 50 %: the run could not judge the target.
        if (file.size >= 2 * CHECKPOINT_EVERY) results.resume.checkpoint = await runHashReload(h, file, { ...options, concurrency: DEFAULT_CONCURRENCY }, log);
      });
      await section('many', async () => {
        results.many = await runManyFilesSection(h, { quick: options.quick, discard: options.discard, sliceSize: options.sliceSize, profile: options.profile, parallels: options.manyParallels, only: options.manyFiles }, log);
      });
    } finally {
      await harness?.close();
    }
  }
  results.env.loadAverage.end = loadavg();
  results.targets = judgeTargets(results);
  const markdown = renderReport(results);
  process.stdout.write('\n' + markdown);
  mkdirSync(dirname(HTML_REPORT), { recursive: true });
  writeFileSync(HTML_REPORT, renderHtmlReport(results, markdown));
  log(`wrote ${HTML_REPORT}`);
  if (options.json) {
    writeJson(options.json, results);
    log(`wrote ${options.json}`);
  }
  results.durations.total = Math.round((performance.now() - started) / 100) / 10;
  log(`bench took ${results.durations.total} s`);
  return results;
}

main(parseArgs(process.argv.slice(2))).then(
  (results) => process.exit(results.errors.length ? 1 : 0),
  (error: unknown) => {
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
