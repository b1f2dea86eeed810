// `npm run bench`: measures the product against its peers' approaches and the machine's limits
// (hash, upload, main thread, memory, resume, bundle), prints a Markdown table with PASS/FAIL lines
// for the targets, and writes every figure as JSON with --json. Exit code: 0 when the bench ran
// (targets are reported, not enforced), 1 when the bench itself broke.

import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatSize, parseArgs, type BenchOptions } from './lib/args.js';
import { startBrowserHarness } from './lib/browser.js';
import { describeEnvironment } from './lib/env.js';
import { benchFile, nodeSha1 } from './lib/files.js';
import { runHashSection } from './sections/hash.js';
import { runUploadSection } from './sections/upload.js';

function log(line: string): void {
  process.stderr.write(line + '\n');
}

async function main(options: BenchOptions): Promise<void> {
  const started = performance.now();
  const path = await benchFile(options.size, log);
  const sha = await nodeSha1(path);
  const file = { path, size: options.size, sha, prefixSha: (bytes: number) => nodeSha1(path, bytes) };
  log(`file ${formatSize(options.size)} ${path} sha ${sha}`);
  const harness = await startBrowserHarness();
  try {
    const env = describeEnvironment(harness.browser.version());
    const results: Record<string, unknown> = { env, options: { ...options, only: options.only && [...options.only] } };
    log('hash…');
    if (!options.only || options.only.has('hash')) results.hash = await runHashSection(harness, file, { reps: options.hashReps, quick: options.quick }, log);
    log('upload…');
    if (!options.only || options.only.has('upload')) results.upload = await runUploadSection(harness, file, { reps: options.uploadReps, discard: options.discard, sliceSize: options.sliceSize, quick: options.quick }, log);
    process.stdout.write(JSON.stringify(results, null, 2) + '\n');
    if (options.json) {
      mkdirSync(dirname(resolve(options.json)), { recursive: true });
      writeFileSync(options.json, JSON.stringify(results, null, 2));
    }
  } finally {
    await harness.close();
  }
  log(`bench took ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main(parseArgs(process.argv.slice(2))).then(
  () => process.exit(0),
  (error: unknown) => {
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
