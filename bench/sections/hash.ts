// Section 1: SHA-1 of the whole file, in each engine (Chromium, Firefox, WebKitGTK). The product's
// worker hasher against a raw read-then-hash loop, hash-wasm's kernel fed by each way the engine can
// read a file (its ceiling for the whole job), the kernel on a buffer in memory, crypto-js and jsSHA
// (older SDKs), and native sha1sum / openssl (the machine's limit). Chromium also records main-thread
// gaps while the product hashes. The full run also hashes a sparse file over 4 GiB in each engine.

import { execFile } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FileReaderKind } from '../pages/bench-hash.worker.js';
import { GiB, MiB } from '../lib/args.js';
import type { BrowserHarness, GapResult } from '../lib/browser.js';
import { launchEngine, type EngineName, type EnginePage } from '../lib/engines.js';
import { FILES_DIR, nodeSha1 } from '../lib/files.js';
import { figure, mibps, type Figure } from '../lib/measure.js';

const run = promisify(execFile);

export const FILE_READER_KINDS: readonly FileReaderKind[] = ['byob', 'stream', 'blocks'];

export interface EngineHashResult {
  engine: EngineName;
  /** e.g. "Firefox 153.8.0esr". */
  version: string;
  /** MiB/s, median of the repetitions. */
  product: Figure;
  rawLoop: Figure;
  /** The kernel fed by each reader this engine has (a reader it lacks is absent). */
  fileKernels: Partial<Record<FileReaderKind, Figure>>;
  /** The fastest of fileKernels: this engine's ceiling for reading a file and hashing it in a worker. */
  fileKernel: Figure & { reader: FileReaderKind };
  kernel: Figure;
  cryptoJs: Figure;
  jsSha: Figure;
  /** Chromium only: main-thread gaps during the product's hash (worst repetition), and on the idle page. */
  gaps?: GapResult;
  idleGaps?: GapResult;
  /** Full run: the product on a sparse file over 4 GiB. */
  big?: { bytes: number; mibps: number; shaOk: boolean };
}

export interface HashSectionResult {
  fileBytes: number;
  engines: EngineHashResult[];
  /** Engines that could not be started, and why. */
  skipped: Array<{ engine: EngineName; reason: string }>;
  sha1sum?: Figure;
  opensslSha1?: Figure;
  /** Bytes the JS baselines (crypto-js, jsSHA) hashed; their speed is scaled to the whole file. */
  legacyBytes: number;
  shaOk: boolean;
}

interface PageHashResult {
  ms: number;
  bytes: number;
  sha?: string;
  unsupported?: boolean;
}

export interface HashFile {
  path: string;
  size: number;
  sha: string;
  prefixSha(bytes: number): Promise<string>;
}

export const RAW_LOOP_BLOCK = 8 * MiB;
export const KERNEL_BUFFER = 64 * MiB;
/** Over 4 GiB (Safari's file.stream() fails there), and not a multiple of any block size. */
export const BIG_FILE_BYTES = 4 * GiB + MiB + 3;

async function nativeSpeed(command: string, args: string[], path: string, bytes: number): Promise<number | undefined> {
  try {
    const started = performance.now();
    await run(command, [...args, path], { maxBuffer: 1 << 20 });
    return mibps(bytes, performance.now() - started);
  } catch {
    return undefined;
  }
}

/** A sparse file of `size` zero bytes: no disk space, and the OS reads it as fast as the page cache. */
function sparseFile(size: number): string {
  const path = join(FILES_DIR, `sparse-${size}.bin`);
  if (!existsSync(path) || statSync(path).size !== size) {
    const fd = openSync(path, 'w');
    try {
      ftruncateSync(fd, size);
    } finally {
      closeSync(fd);
    }
  }
  return path;
}

export async function runHashSection(
  harness: BrowserHarness,
  file: HashFile,
  options: { reps: number; quick: boolean; engines: readonly EngineName[]; bigFile: boolean },
  log: (line: string) => void,
): Promise<HashSectionResult> {
  const result: HashSectionResult = {
    fileBytes: file.size,
    engines: [],
    skipped: [],
    legacyBytes: Math.min(file.size, options.quick ? 4 * MiB : 64 * MiB),
    shaOk: true,
  };
  const native = { sha1sum: [] as number[], openssl: [] as number[] };
  for (let rep = 0; rep < options.reps; rep++) {
    const sha1sum = await nativeSpeed('sha1sum', [], file.path, file.size);
    if (sha1sum !== undefined) native.sha1sum.push(sha1sum);
    const openssl = await nativeSpeed('openssl', ['sha1'], file.path, file.size);
    if (openssl !== undefined) native.openssl.push(openssl);
  }
  if (native.sha1sum.length) result.sha1sum = figure(native.sha1sum);
  if (native.openssl.length) result.opensslSha1 = figure(native.openssl);
  log(`  native: sha1sum ${result.sha1sum?.value.toFixed(0) ?? '-'} MiB/s, openssl ${result.opensslSha1?.value.toFixed(0) ?? '-'}`);

  const big = options.bigFile ? { path: sparseFile(BIG_FILE_BYTES), sha: '' } : undefined;
  if (big) big.sha = await nodeSha1(big.path);

  for (const name of options.engines) {
    let engine;
    try {
      engine = await launchEngine(name, harness);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      result.skipped.push({ engine: name, reason });
      log(`  ! ${name} could not be started: ${reason}`);
      continue;
    }
    try {
      log(`  ${engine.version}`);
      const page = await engine.open('/bench/pages/hash.html');
      try {
        // One engine that breaks is reported as skipped with its reason; the others' figures stay.
        let measured: Omit<EngineHashResult, 'version'>;
        try {
          measured = await measureEngine(page, name, file, options, result, log);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          result.skipped.push({ engine: name, reason: `failed while measuring: ${reason}` });
          log(`  ! ${name} failed while measuring: ${reason}`);
          continue;
        }
        if (big) {
          await page.setFile('#file', big.path);
          const r = await page.call<PageHashResult>('__benchHash', 'product');
          const shaOk = r.sha === big.sha;
          if (!shaOk) {
            result.shaOk = false;
            log(`  ! ${name} product on the ${BIG_FILE_BYTES}-byte sparse file gave ${r.sha}, expected ${big.sha}`);
          }
          measured.big = { bytes: r.bytes, mibps: mibps(r.bytes, r.ms), shaOk };
          log(`  ${name} sparse ${BIG_FILE_BYTES} B: ${measured.big.mibps.toFixed(0)} MiB/s, sha ${shaOk ? 'ok' : 'WRONG'}`);
        }
        result.engines.push({ ...measured, version: engine.version });
      } finally {
        await page.close();
      }
    } finally {
      await engine.close();
    }
  }
  return result;
}

async function measureEngine(
  page: EnginePage,
  engine: EngineName,
  file: HashFile,
  options: { reps: number; quick: boolean },
  result: HashSectionResult,
  log: (line: string) => void,
): Promise<Omit<EngineHashResult, 'version'>> {
  await page.waitFor('window.__benchHash !== undefined');
  await page.setFile('#file', file.path);
  await page.call('__benchHash', 'warmUp');
  // Only Chromium's pages carry the gap probe (the harness installs it before any page script).
  const gapsOn = engine === 'chromium';
  let idleGaps: GapResult | undefined;
  const pw = gapsOn ? gapProbe(page) : undefined;
  if (pw) {
    await pw.start();
    await new Promise((resolve) => setTimeout(resolve, options.quick ? 1000 : 3000));
    idleGaps = await pw.stop();
  }

  const legacyBytes = result.legacyBytes;
  const kernelBuffer = options.quick ? 16 * MiB : KERNEL_BUFFER;
  const kernelRounds = options.quick ? 4 : 16;
  const samples = { product: [] as number[], rawLoop: [] as number[], kernel: [] as number[] };
  const readerSamples: Partial<Record<FileReaderKind, number[]>> = {};
  let gaps: GapResult | undefined;
  const check = (what: string, r: PageHashResult): PageHashResult => {
    if (r.sha !== file.sha) {
      result.shaOk = false;
      log(`  ! ${engine} ${what} gave sha ${r.sha}, expected ${file.sha}`);
    }
    return r;
  };

  // Interleaved repetitions: a slow moment of the machine then hurts every method alike.
  for (let rep = 0; rep < options.reps; rep++) {
    await pw?.start();
    const product = check('product', await page.call<PageHashResult>('__benchHash', 'product'));
    if (pw) {
      const repGaps = await pw.stop();
      if (!gaps || repGaps.maxGapMs >= gaps.maxGapMs) gaps = repGaps;
    }
    samples.product.push(mibps(product.bytes, product.ms));

    const raw = check('raw loop', await page.call<PageHashResult>('__benchHash', 'rawLoop', RAW_LOOP_BLOCK));
    samples.rawLoop.push(mibps(raw.bytes, raw.ms));

    const line: string[] = [];
    for (const reader of FILE_READER_KINDS) {
      const r = await page.call<PageHashResult>('__benchHash', 'fileKernel', reader);
      if (r.unsupported) {
        line.push(`${reader} -`);
        continue;
      }
      check(`file kernel (${reader})`, r);
      (readerSamples[reader] ??= []).push(mibps(r.bytes, r.ms));
      line.push(`${reader} ${readerSamples[reader]!.at(-1)!.toFixed(0)}`);
    }

    const kernel = await page.call<PageHashResult>('__benchHash', 'kernel', kernelBuffer, kernelRounds);
    samples.kernel.push(mibps(kernel.bytes, kernel.ms));
    log(
      `  ${engine} rep ${rep + 1}: product ${samples.product.at(-1)!.toFixed(0)} MiB/s, raw loop ${samples.rawLoop.at(-1)!.toFixed(0)}, ` +
        `file kernel ${line.join(' / ')}, kernel in memory ${samples.kernel.at(-1)!.toFixed(0)}`,
    );
  }
  // The JS hashes are 10-50x slower: one pass over a prefix is enough to know their speed.
  const legacyBlock = 2 * MiB;
  const cryptoJs = await page.call<PageHashResult>('__benchHash', 'legacy', 'crypto-js', legacyBytes, legacyBlock);
  const jsSha = await page.call<PageHashResult>('__benchHash', 'legacy', 'jssha', legacyBytes, legacyBlock);
  // A speed figure for a wrong hash would be worthless: check both against Node on the same prefix.
  const prefixSha = await file.prefixSha(legacyBytes);
  if (cryptoJs.sha !== prefixSha || jsSha.sha !== prefixSha) {
    result.shaOk = false;
    log(`  ! ${engine} crypto-js ${cryptoJs.sha} / jsSHA ${jsSha.sha} on the first ${legacyBytes} bytes, expected ${prefixSha}`);
  }

  const fileKernels: Partial<Record<FileReaderKind, Figure>> = {};
  for (const reader of FILE_READER_KINDS) {
    const s = readerSamples[reader];
    if (s) fileKernels[reader] = figure(s);
  }
  const [bestReader, bestFigure] = (Object.entries(fileKernels) as Array<[FileReaderKind, Figure]>).reduce((a, b) =>
    b[1].value > a[1].value ? b : a,
  );
  return {
    engine,
    product: figure(samples.product),
    rawLoop: figure(samples.rawLoop),
    fileKernels,
    fileKernel: { ...bestFigure, reader: bestReader },
    kernel: figure(samples.kernel),
    cryptoJs: figure([mibps(cryptoJs.bytes, cryptoJs.ms)]),
    jsSha: figure([mibps(jsSha.bytes, jsSha.ms)]),
    gaps,
    idleGaps,
  };
}

/** The harness's gap probe, reached through the page interface (Chromium's pages carry it). */
function gapProbe(page: EnginePage): { start(): Promise<void>; stop(): Promise<GapResult> } {
  return {
    start: () => page.call('__benchGaps', 'start'),
    stop: () => page.call<GapResult>('__benchGaps', 'stop'),
  };
}

/** The Chromium figures, which the other sections' targets (main-thread gaps) read. */
export function chromiumHash(hash: HashSectionResult | undefined): EngineHashResult | undefined {
  return hash?.engines.find((e) => e.engine === 'chromium');
}
