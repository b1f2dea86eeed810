// One upload session in memory: which slices arrived (a byte per slice, so 20 GB in 1 MiB slices is
// 20 KB), how it is saved to disk, and, in discard mode, the running sha over slices taken in order.

import { createHash, type Hash } from 'node:crypto';
import type { Reply } from './codes.js';
import type { FilePath } from './paths.js';
import { coalescingSaver, writeAtomic } from './storage.js';

/** What sessions/{id}.json holds. */
export interface SessionMeta {
  id: string;
  file: FilePath;
  sha: string;
  filesize: number;
  sliceSize: number;
  /** Received slices as half-open index ranges [start, end). */
  received: Array<[number, number]>;
  metadata: Record<string, string>;
  createdAt: number;
}

export interface Session {
  meta: SessionMeta;
  sliceCount: number;
  received: Uint8Array;
  receivedCount: number;
  state: 'open' | 'completing' | 'done';
  /** Set once forgotten: late writers must not bring its metadata back to disk. */
  dropped: boolean;
  completion?: Promise<Reply>;
  /**
   * Slice offsets being written into the part file now, each with a promise that settles when that
   * request is done. One writer per slice: a concurrent copy of the same slice waits instead of
   * writing too, so no write can land after the slice is marked received (and the file hashed).
   */
  writers: Map<number, Promise<void>>;
  save: () => Promise<void>;
  // Discard mode: the sha is computed as slices arrive in order; early ones wait in `early`.
  hash?: Hash;
  hashedSlices: number;
  early: Map<number, Buffer>;
}

function toRanges(received: Uint8Array): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < received.length; i++) {
    if (!received[i]) continue;
    const last = ranges[ranges.length - 1];
    if (last && last[1] === i) last[1] = i + 1;
    else ranges.push([i, i + 1]);
  }
  return ranges;
}

/** A session saved to `metaFile` on every change, or (discard mode, no file) kept in memory only. */
export function createSession(meta: SessionMeta, metaFile: string | undefined): Session {
  const sliceCount = Math.ceil(meta.filesize / meta.sliceSize);
  const session: Session = {
    meta,
    sliceCount,
    received: new Uint8Array(sliceCount),
    receivedCount: 0,
    state: 'open',
    dropped: false,
    hashedSlices: 0,
    early: new Map(),
    writers: new Map(),
    save: !metaFile
      ? () => Promise.resolve()
      : coalescingSaver(async () => {
          if (session.dropped) return;
          meta.received = toRanges(session.received);
          await writeAtomic(metaFile, JSON.stringify(meta));
        }),
  };
  if (!metaFile) session.hash = createHash('sha1');
  for (const [start, end] of meta.received) {
    for (let i = start; i < end && i < sliceCount; i++) markReceived(session, i);
  }
  return session;
}

export function markReceived(session: Session, index: number): void {
  if (session.received[index]) return;
  session.received[index] = 1;
  session.receivedCount++;
}

/** The first byte not yet received: where a resuming client goes on. */
export function firstMissingOffset(session: Session): number {
  const index = session.received.indexOf(0);
  return index < 0 ? session.meta.filesize : index * session.meta.sliceSize;
}

/** Discard mode: takes a slice's bytes and hashes every slice that is now next in order. */
export function hashInOrder(session: Session, index: number, data: Buffer): void {
  if (!session.hash) return;
  session.early.set(index, data);
  while (session.early.has(session.hashedSlices)) {
    session.hash.update(session.early.get(session.hashedSlices) as Buffer);
    session.early.delete(session.hashedSlices++);
  }
}

/** After a failed sha check: nothing received, hashing starts over. */
export function resetSession(session: Session): void {
  session.received.fill(0);
  session.receivedCount = 0;
  session.hashedSlices = 0;
  session.early.clear();
  if (session.hash) session.hash = createHash('sha1');
  session.state = 'open';
}
