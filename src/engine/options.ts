// What the queue is built from: its dependencies (adapters or test fakes) and its options, with the
// defaults and clamping in one place.

import { plainTimer, sleepOn } from './clock.js';
import { yieldToPage } from './page-yield.js';
import type { SliceBudget } from './slice-budget.js';
import type {
  Hasher,
  Metadata,
  OnlineSource,
  ProtocolClient,
  SessionStore,
  Signer,
  UploadLocks,
  UploadTarget,
} from './types.js';

export interface EngineDeps {
  protocol: ProtocolClient;
  signer: Signer;
  hasher: Hasher;
  store: SessionStore;
  locks: UploadLocks;
  online: OnlineSource;
  /** Clock in ms since epoch (default Date.now). */
  now?: () => number;
  /** Waits `ms`; rejects when `signal` aborts (default: setTimeout; the element's: the timer worker, src/timers/worker-timers.ts). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** [0, 1) for backoff jitter (default Math.random). */
  random?: () => number;
  /** Slices in flight shared by every file sending (default: the page's one budget). */
  sliceBudget?: SliceBudget;
  /**
   * Runs `flush` soon: the queue's 'change' notifications of one burst are coalesced into one.
   * `uploads` is the list's length, for a view whose re-render grows with it (default: a microtask,
   * so every change of one task is one 'change'; the element waits for a frame past a threshold,
   * element/dependencies.ts).
   */
  scheduleChange?: (flush: () => void, uploads: number) => void;
  /** Lets the page run between chunks of a big `addAll` (default: a macrotask). */
  yieldToPage?: () => Promise<void>;
}

export interface QueueOptions {
  /** appid, bucket, dir: captured per file when it is added. */
  target: UploadTarget;
  /** Most slices in flight per file (a cap; adaptive concurrency stays below it): default 5, 1..6. */
  concurrency?: number;
  /**
   * Files sending at once (a cap; above 1, a file that only waits for the answers to its last slices
   * makes room for the next): default DEFAULT_PARALLEL_FILES, 1..16.
   */
  parallelFiles?: number;
  /** Default true: start when added. */
  autoStart?: boolean;
  /** Default false: send each slice's SHA-1 (computed one slice ahead). */
  sliceSha?: boolean;
  /** Per file; default `{ video_title: file.name }`. */
  metadata?: (file: File) => Metadata | Promise<Metadata> | undefined;
  /** Stored sessions older than this are swept at init: default 7 days. */
  sessionMaxAgeMs?: number;
  /** Default true. See adaptive-concurrency.ts for the rule. */
  adaptiveConcurrency?: boolean;
}

/** Chosen by measurement (README, attributes; bench/README.md, "Choosing the default concurrency"). */
export const DEFAULT_CONCURRENCY = 5;
/**
 * Chosen by measurement (bench/README.md, "Many files": choosing parallel-files, and "The cost per
 * small file"): the browser opens 6 connections to one host, so files beyond 6 only queue there, and
 * with big files every extra file splits the same slices further. 8 was measured against 6 on
 * 1,000 × 64 KiB at 50 ms and was not faster in a way the noise allowed to tell (faster in one run,
 * slower in the next): 6 is kept. With a file's place handed over once its last slices are on their
 * way (upload-flow.ts), 8 and 10 were faster than 6 in each of three runs on a loaded machine, but
 * its load moved between and within the runs, and with big files more files sending only split the
 * same page budget of slices (bench/README.md, "Connections idling between a small file's
 * requests"). Two quiet runs (2026-12-01 and -02) put 8 at 4.90× and 4.53× one at a time against
 * 6's 4.47× and 4.36×: 3-9 % faster, short of 5× either way, with the big files not yet judged at 8
 * on a quiet machine. 6 is kept.
 */
export const DEFAULT_PARALLEL_FILES = 6;
export const MAX_PARALLEL_FILES = 16;
/**
 * Files beyond the sending ones that may already be fingerprinted, locked and hashed, so that a
 * sending slot never waits for a hash: a file's hash is complete before its first request, but the
 * hasher does not wait for another file's slices. With small files the run is a pipeline: a file's
 * preparation (sample, lock, stored session, hash) takes about as long as its sending, so the window
 * is of the order of the sending slots; not more, as a hashed file waiting to send holds its
 * cross-tab lock and hashing far ahead only moves work earlier (bench/README.md, "Many files").
 */
export const HASH_AHEAD_FILES = 4;
export const DEFAULT_SESSION_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/** Browsers open at most 6 HTTP/1.1 connections per host: more slices in flight only queue up. */
export const MAX_SLICES_IN_FLIGHT = 6;

export interface ResolvedOptions {
  target: UploadTarget;
  concurrency: number;
  parallelFiles: number;
  autoStart: boolean;
  sliceSha: boolean;
  metadata?: (file: File) => Metadata | Promise<Metadata> | undefined;
  sessionMaxAgeMs: number;
  adaptiveConcurrency: boolean;
}

function clampInt(value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}

export function resolveOptions(o: QueueOptions): ResolvedOptions {
  return {
    target: { ...o.target },
    concurrency: clampInt(o.concurrency, DEFAULT_CONCURRENCY, 1, MAX_SLICES_IN_FLIGHT),
    parallelFiles: clampInt(o.parallelFiles, DEFAULT_PARALLEL_FILES, 1, MAX_PARALLEL_FILES),
    autoStart: o.autoStart ?? true,
    sliceSha: o.sliceSha ?? false,
    metadata: o.metadata,
    sessionMaxAgeMs:
      o.sessionMaxAgeMs !== undefined && o.sessionMaxAgeMs > 0
        ? o.sessionMaxAgeMs
        : DEFAULT_SESSION_MAX_AGE_MS,
    adaptiveConcurrency: o.adaptiveConcurrency ?? true,
  };
}

/** EngineDeps with the clock, sleep, randomness and slice budget filled in. */
export type EngineDepsResolved = EngineDeps & Required<Pick<EngineDeps, 'now' | 'sleep' | 'random' | 'sliceBudget' | 'scheduleChange' | 'yieldToPage'>>;

/** `pageBudget` comes from the caller: slice-budget.ts imports this module, so it cannot be imported here. */
export function resolveDeps(deps: EngineDeps, pageBudget: SliceBudget): EngineDepsResolved {
  return {
    ...deps,
    now: deps.now ?? (() => Date.now()),
    sleep: deps.sleep ?? sleepOn(plainTimer),
    random: deps.random ?? Math.random,
    sliceBudget: deps.sliceBudget ?? pageBudget,
    scheduleChange: deps.scheduleChange ?? ((flush) => queueMicrotask(flush)),
    yieldToPage: deps.yieldToPage ?? yieldToPage,
  };
}
