// Section 1: SHA-1 of the whole file. The product's worker hasher against a raw read-then-hash loop,
// hash-wasm's in-memory kernel (the ceiling), crypto-js and jsSHA (older SDKs), and native sha1sum /
// openssl (the machine's limit). Also records main-thread gaps while the product hashes.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { MiB } from '../lib/args.js';
import { startGaps, stopGaps, type BrowserHarness, type GapResult } from '../lib/browser.js';
import { figure, mibps, type Figure } from '../lib/measure.js';

const run = promisify(execFile);

export interface HashSectionResult {
  fileBytes: number;
  /** MiB/s, median of the repetitions. */
  product: Figure;
  rawLoop: Figure;
  kernel: Figure;
  cryptoJs: Figure;
  jsSha: Figure;
  sha1sum?: Figure;
  opensslSha1?: Figure;
  /** Bytes the JS baselines (crypto-js, jsSHA) hashed; their speed is scaled to the whole file. */
  legacyBytes: number;
  /** Main-thread gaps during the product's hash (worst repetition). */
  gaps: GapResult;
  /** The same probe on the idle page for a while: what the machine alone does (a busy CPU shows here). */
  idleGaps: GapResult;
  shaOk: boolean;
}

interface PageHashResult {
  ms: number;
  bytes: number;
  sha?: string;
}

export const RAW_LOOP_BLOCK = 8 * MiB;
export const KERNEL_BUFFER = 64 * MiB;

async function nativeSpeed(command: string, args: string[], path: string, bytes: number): Promise<number | undefined> {
  try {
    const started = performance.now();
    await run(command, [...args, path], { maxBuffer: 1 << 20 });
    return mibps(bytes, performance.now() - started);
  } catch {
    return undefined;
  }
}

export async function runHashSection(
  harness: BrowserHarness,
  file: { path: string; size: number; sha: string; prefixSha(bytes: number): Promise<string> },
  options: { reps: number; quick: boolean },
  log: (line: string) => void,
): Promise<HashSectionResult> {
  const { page, context } = await harness.open('/bench/pages/hash.html');
  try {
    await page.waitForFunction('window.__benchHash !== undefined');
    await page.locator('#file').setInputFiles(file.path);
    await page.evaluate(() => window.__benchHash.warmUp());
    await startGaps(page);
    await page.waitForTimeout(options.quick ? 1000 : 3000);
    const idleGaps = await stopGaps(page);

    // Quick mode keeps the slow parts small: the JS hashes run at a few MiB/s on a busy machine.
    const legacyBytes = Math.min(file.size, options.quick ? 4 * MiB : 64 * MiB);
    const kernelBuffer = options.quick ? 16 * MiB : KERNEL_BUFFER;
    const kernelRounds = options.quick ? 4 : 16;
    const samples = { product: [] as number[], rawLoop: [] as number[], kernel: [] as number[] };
    const legacy = { cryptoJs: [] as number[], jsSha: [] as number[] };
    const native = { sha1sum: [] as number[], openssl: [] as number[] };
    let gaps: GapResult = { maxGapMs: 0, maxFrameGapMs: 0, gapsOver50: 0, ticks: 0 };
    let shaOk = true;
    const check = (what: string, result: PageHashResult): PageHashResult => {
      if (result.sha !== file.sha) {
        shaOk = false;
        log(`  ! ${what} gave sha ${result.sha}, expected ${file.sha}`);
      }
      return result;
    };

    // Interleaved repetitions: a slow moment of the machine then hurts every method alike.
    for (let rep = 0; rep < options.reps; rep++) {
      await startGaps(page);
      const product = check('product', await page.evaluate(() => window.__benchHash.product()));
      const repGaps = await stopGaps(page);
      if (repGaps.maxGapMs >= gaps.maxGapMs) gaps = repGaps;
      samples.product.push(mibps(product.bytes, product.ms));

      const raw = check('raw loop', await page.evaluate((b) => window.__benchHash.rawLoop(b), RAW_LOOP_BLOCK));
      samples.rawLoop.push(mibps(raw.bytes, raw.ms));

      const kernel = await page.evaluate(([b, r]) => window.__benchHash.kernel(b, r), [kernelBuffer, kernelRounds]);
      samples.kernel.push(mibps(kernel.bytes, kernel.ms));

      const sha1sum = await nativeSpeed('sha1sum', [], file.path, file.size);
      if (sha1sum !== undefined) native.sha1sum.push(sha1sum);
      const openssl = await nativeSpeed('openssl', ['sha1'], file.path, file.size);
      if (openssl !== undefined) native.openssl.push(openssl);
      log(
        `  hash rep ${rep + 1}: product ${samples.product.at(-1)!.toFixed(0)} MiB/s, raw loop ${samples.rawLoop.at(-1)!.toFixed(0)}, ` +
          `kernel ${samples.kernel.at(-1)!.toFixed(0)}, sha1sum ${sha1sum?.toFixed(0) ?? '-'}, openssl ${openssl?.toFixed(0) ?? '-'}`,
      );
    }
    // The JS hashes are 10-50x slower: one pass over a prefix is enough to know their speed.
    const legacyBlock = 2 * MiB;
    const cryptoJs = await page.evaluate(([n, b]) => window.__benchHash.legacy('crypto-js', n, b), [legacyBytes, legacyBlock]);
    legacy.cryptoJs.push(mibps(cryptoJs.bytes, cryptoJs.ms));
    const jsSha = await page.evaluate(([n, b]) => window.__benchHash.legacy('jssha', n, b), [legacyBytes, legacyBlock]);
    legacy.jsSha.push(mibps(jsSha.bytes, jsSha.ms));
    // A speed figure for a wrong hash would be worthless: check both against Node on the same prefix.
    const prefixSha = await file.prefixSha(legacyBytes);
    if (cryptoJs.sha !== prefixSha || jsSha.sha !== prefixSha) {
      shaOk = false;
      log(`  ! crypto-js ${cryptoJs.sha} / jsSHA ${jsSha.sha} on the first ${legacyBytes} bytes, expected ${prefixSha}`);
    }
    log(`  crypto-js ${legacy.cryptoJs[0]!.toFixed(1)} MiB/s, jsSHA ${legacy.jsSha[0]!.toFixed(1)} MiB/s (first ${legacyBytes / MiB} MiB)`);

    return {
      fileBytes: file.size,
      product: figure(samples.product),
      rawLoop: figure(samples.rawLoop),
      kernel: figure(samples.kernel),
      cryptoJs: figure(legacy.cryptoJs),
      jsSha: figure(legacy.jsSha),
      sha1sum: native.sha1sum.length ? figure(native.sha1sum) : undefined,
      opensslSha1: native.openssl.length ? figure(native.openssl) : undefined,
      legacyBytes,
      gaps,
      idleGaps,
      shaOk,
    };
  } finally {
    await context.close();
  }
}
