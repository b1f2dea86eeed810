// The messages between the main thread (hasher.ts) and the hashing worker (hash.worker.ts).
// Types only: both sides import this file, so neither pulls the other's code into its bundle.

import type { ProbeSegment, ReaderKind } from './file-readers.js';

/** Main thread → worker. Every job carries an id; jobs run concurrently (see hasher.ts for why). */
export type HashRequest =
  | {
      type: 'sha1';
      id: number;
      file: Blob;
      /** Resume from a saved SHA-1 state (sha1.ts) after `offset` bytes. */
      from?: { offset: number; state: Uint8Array };
      /** Overrides of hash-core's constants, for measurements and tests. */
      tuning?: HashTuning;
    }
  | { type: 'sample'; id: number; file: Blob }
  | { type: 'slice'; id: number; blob: Blob }
  /** Stop job `id` at the next block boundary; no answer is sent for it afterwards. */
  | { type: 'cancel'; id: number };

/** Worker → main thread. */
export type HashResponse =
  | { type: 'progress'; id: number; bytes: number }
  /** `state` travels as a transferred buffer. */
  | { type: 'checkpoint'; id: number; offset: number; state: Uint8Array }
  /**
   * `wholeSha`: a sample job's file read whole (hash-core's sampleAndSha1), its whole-file SHA-1.
   * `retire`: this worker holds much block-read garbage; end it as soon as it has no job (hash.worker.ts).
   */
  | { type: 'done'; id: number; sha: string; wholeSha?: string; retire?: true }
  /**
   * The reader probe has run: job `id` stops at `offset` (`state` transferred) and is to go on in a
   * fresh worker with `reader`; this worker is to be terminated (hash.worker.ts says why). `probe`:
   * the segments the verdict was made of (for the bench's log; the page does not use it).
   */
  | { type: 'handoff'; id: number; offset: number; state: Uint8Array; reader: ReaderKind; probe: ProbeSegment[] }
  /** A DOMException or Error flattened: structured clone keeps name/message but not subclasses. */
  | { type: 'error'; id: number; name: string; message: string };

/** hash-core's reader, block size, read-ahead depth and checkpoint interval, when not the defaults. */
export interface HashTuning {
  reader?: ReaderKind;
  blockSize?: number;
  readAhead?: number;
  checkpointEvery?: number;
}
