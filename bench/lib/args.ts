// Command-line options of `npm run bench`: file size(s), quick mode, discard, JSON output path.

import { DEFAULT_CONCURRENCY } from '../../src/engine/options.js';

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

import { ENGINES, type EngineName } from './engines.js';

export interface BenchOptions {
  /** The file size the hash, upload and resume sections use. */
  size: number;
  /** Sizes the memory section uploads (one in quick mode, 256 MiB / 1 GiB / 4 GiB in a full run). */
  memorySizes: number[];
  quick: boolean;
  /** The server hashes and drops the bytes instead of writing them to disk. */
  discard: boolean;
  /** Repetitions per hash measurement and per upload configuration. */
  hashReps: number;
  uploadReps: number;
  /** Slice size the local server asks for (undefined: the server's default). */
  sliceSize?: number;
  json?: string;
  /** Sections to run (all by default): hash, upload, gaps (part of hash/upload), memory, resume, many, bundle. */
  only?: Set<string>;
  /** Build dist/ when it is missing (the bundle section needs it). */
  build: boolean;
  /** Engines the hash section runs in (all three in a full run, Chromium alone in quick mode). */
  engines: EngineName[];
  /** Also hash a sparse file over 4 GiB in each engine (full run). */
  bigFile: boolean;
  /** Save a main-thread CPU profile of each product upload configuration (bench/out/*.cpuprofile). */
  profile: boolean;
  /** The element's `concurrency` values the upload section runs (default 1, 3, 6 and the element's default). */
  concurrencies: number[];
  /** File size of the link section (uploads over the emulated links take seconds per 10 MiB). */
  linkSize: number;
  /** Extra parallel-files values the many section runs on 1,000 × 64 KiB at 50 ms (choosing the default). */
  manyParallels?: number[];
  /** Only these configurations of the many section (100, 1000, 10000, 100x8MiB). */
  manyFiles?: string[];
}

/** "256MiB", "1GiB", "4GiB", "32MiB", "1.5GiB", "1048576" → bytes. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB|KB|MB|GB|K|M|G)?$/i.exec(text.trim());
  if (!match) throw new Error(`not a size: ${text} (try 256MiB, 1GiB, 4GiB)`);
  const unit = (match[2] ?? 'B').toUpperCase().replace('IB', '').replace('B', '');
  const factor = unit === '' ? 1 : unit === 'K' ? KiB : unit === 'M' ? MiB : GiB;
  return Math.round(Number(match[1]) * factor);
}

export function formatSize(bytes: number): string {
  if (bytes >= GiB && bytes % GiB === 0) return `${bytes / GiB} GiB`;
  if (bytes >= MiB) return `${+(bytes / MiB).toFixed(1)} MiB`;
  if (bytes >= KiB) return `${+(bytes / KiB).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/**
 * The link section's file: 256 MiB, a modest video. Every client of this protocol spends at least 3
 * round trips outside the bytes (preflight, first request, last answer): 0.45 s at 150 ms, which caps
 * a 64 MiB file at 0.92 of a 100 Mbit/s link whatever the client does, leaving the 0.9 target to
 * judge noise; at 256 MiB the same 3 round trips cost 0.02 (bench/README.md, "the far link").
 */
const LINK_FILE_BYTES = 256 * MiB;

export function parseArgs(argv: string[]): BenchOptions {
  let size = GiB;
  let sizeGiven = false;
  let quick = false;
  let discard = false;
  let json: string | undefined;
  let sliceSize: number | undefined;
  let only: Set<string> | undefined;
  let build = true;
  let memorySizes: number[] | undefined;
  let reps: number | undefined;
  let profile = false;
  let concurrencies: number[] | undefined;
  let linkSize: number | undefined;
  let engines: EngineName[] | undefined;
  let manyParallels: number[] | undefined;
  let manyFiles: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--size':
        size = parseSize(value());
        sizeGiven = true;
        break;
      case '--quick':
        quick = true;
        break;
      case '--discard':
        discard = true;
        break;
      case '--json':
        json = value();
        break;
      case '--slice-size':
        sliceSize = parseSize(value());
        break;
      case '--only':
        only = new Set(value().split(','));
        break;
      case '--memory-sizes':
        memorySizes = value().split(',').map(parseSize);
        break;
      case '--reps':
        reps = Number(value());
        break;
      case '--profile':
        profile = true;
        break;
      case '--concurrency':
        concurrencies = value().split(',').map(Number);
        if (concurrencies.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--concurrency takes whole numbers: ${arg}`);
        break;
      case '--many-parallel':
        manyParallels = value().split(',').map(Number);
        if (manyParallels.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--many-parallel takes whole numbers: ${arg}`);
        break;
      case '--many-files':
        manyFiles = value().split(',');
        break;
      case '--link-size':
        linkSize = parseSize(value());
        break;
      case '--engines':
        engines = value().split(',').map((name) => {
          if (!(ENGINES as readonly string[]).includes(name)) throw new Error(`unknown engine ${name} (${ENGINES.join(', ')})`);
          return name as EngineName;
        });
        break;
      case '--no-build':
        build = false;
        break;
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  if (quick && !sizeGiven) size = 32 * MiB;
  return {
    size,
    quick,
    discard,
    json,
    sliceSize,
    only,
    build,
    profile,
    concurrencies: concurrencies ?? (quick ? [DEFAULT_CONCURRENCY] : [...new Set([1, 3, DEFAULT_CONCURRENCY, 6])]),
    linkSize: linkSize ?? (quick ? 4 * MiB : LINK_FILE_BYTES),
    manyParallels,
    manyFiles,
    engines: engines ?? (quick ? ['chromium'] : [...ENGINES]),
    bigFile: !quick,
    memorySizes: memorySizes ?? (quick ? [size] : [256 * MiB, GiB, 4 * GiB]),
    hashReps: reps ?? (quick ? 1 : 3),
    uploadReps: reps ?? (quick ? 1 : 2),
  };
}

export const USAGE = `npm run bench -- [options]
  --size 1GiB            file size for hash/upload/resume (256MiB, 1GiB, 4GiB, 32MiB; default 1GiB)
  --quick                one pass of every section on one small file, hash in Chromium only, no
                         4 GiB sparse file (CI smoke; default size 32MiB)
  --discard              the server drops the bytes instead of storing them
  --json out.json        write every figure and the environment as JSON
  --slice-size 1MiB      slice size the local server asks for (default: the server's)
  --memory-sizes a,b,c   sizes for the memory section (default 256MiB,1GiB,4GiB; quick: --size)
  --reps N               repetitions per measurement (default 3 for hash, 2 for upload; quick 1)
  --only hash,upload,https,link,memory,resume,hidden,many,bundle
  --link-size 256MiB     file size of the link section (default 256MiB; quick 4MiB)
  --concurrency 1,3,5,6  the element's concurrency values in the upload section (default 1, 3, 6 and
                         the element's default; quick: the default only)
  --engines chromium,firefox,webkit   engines of the hash section (default all three; quick: chromium)
  --many-parallel 2,6,8  also run the product at these parallel-files on the 64 KiB files at 50 ms
                         and on the 8 MiB files
                         (the many section; how the default was chosen)
  --many-files 100,1000  only these runs of the many section (100, 1000, 10000, 100x8MiB; default all)
  --profile              save main-thread CPU profiles of the product's uploads to bench/out/
  --no-build             do not run npm run build when dist/ is missing
`;
