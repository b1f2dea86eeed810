// One upload session in memory: which slices arrived (a byte per slice, so 20 GB in 1 MiB slices is
// 20 KB), how it is saved to disk, and the running sha over the longest received prefix.

import { createHash, type Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
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
  /**
   * The running SHA-1 of slices [0, hashedSlices): every received slice that extends the prefix is
   * hashed at once (`hashInOrder`), so the check at completion has nothing left to read. Undefined
   * when the prefix is not known (a session loaded after a restart, until a reset) or after a read
   * failed: the check then reads the whole part file back.
   */
  hash?: Hash;
  hashedSlices: number;
  /** The running hash's result once every slice is in it (kept: a retried completion asks again). */
  digest?: string;
  /** The hashing queue: one pass over the prefix at a time, in the order slices were marked. */
  hashing: Promise<void>;
  /**
   * Where the bytes of a slice are read back to be hashed: the part file (storing mode; one slice
   * buffer at a time, whatever the order of arrival), or `early` (discard mode: no file, so a slice
   * received ahead of the prefix waits here in memory).
   */
  partFile?: string;
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

/**
 * A session saved to `metaFile` on every change, or (discard mode, no file) kept in memory only.
 * `partFile` is where its bytes are written (storing mode). Only a session that starts with nothing
 * received (a new one) gets a running hash: one loaded from disk does not know its prefix's sha.
 */
export function createSession(meta: SessionMeta, files: { metaFile?: string; partFile?: string }): Session {
  const { metaFile, partFile } = files;
  const sliceCount = Math.ceil(meta.filesize / meta.sliceSize);
  const session: Session = {
    meta,
    sliceCount,
    received: new Uint8Array(sliceCount),
    receivedCount: 0,
    state: 'open',
    dropped: false,
    hashedSlices: 0,
    hashing: Promise.resolve(),
    partFile,
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
  if (meta.received.length === 0) session.hash = createHash('sha1');
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

/**
 * Call right after a slice was marked received (so after its bytes were written): queues a pass
 * that hashes every slice now next in order. `data` is the slice's bytes in discard mode (no part
 * file to read them back from). A slice is hashed once: only `hashedSlices` moves the prefix, and a
 * received slice is never written again (Session.writers, and acceptSlice's duplicate path).
 */
export function hashInOrder(session: Session, index: number, data?: Buffer): void {
  if (!session.hash) return;
  if (data) session.early.set(index, data);
  session.hashing = session.hashing.then(() => extendPrefix(session));
}

async function readSlice(file: FileHandle, session: Session, index: number, buffer: Buffer): Promise<Buffer> {
  const { sliceSize, filesize } = session.meta;
  const length = Math.min(sliceSize, filesize - index * sliceSize);
  for (let done = 0; done < length; ) {
    const { bytesRead } = await file.read(buffer, done, length - done, index * sliceSize + done);
    if (bytesRead === 0) throw new Error(`the part file ends inside slice ${index}`);
    done += bytesRead;
  }
  return buffer.subarray(0, length);
}

/** One pass of the hashing queue: never rejects (a failed read drops the running hash). */
async function extendPrefix(session: Session): Promise<void> {
  const hash = session.hash;
  let file: FileHandle | undefined;
  let buffer: Buffer | undefined;
  try {
    while (hash && session.hash === hash && !session.dropped && session.received[session.hashedSlices]) {
      const index = session.hashedSlices;
      let bytes = session.early.get(index);
      session.early.delete(index);
      if (!bytes) {
        if (!session.partFile) throw new Error(`no bytes of slice ${index} to hash`);
        file ??= await open(session.partFile, 'r');
        bytes = await readSlice(file, session, index, (buffer ??= Buffer.allocUnsafe(session.meta.sliceSize)));
      }
      if (session.hash !== hash) return; // reset while the slice was read
      hash.update(bytes);
      session.hashedSlices++;
    }
  } catch {
    if (session.hash === hash) session.hash = undefined; // the check reads the file back instead
  } finally {
    await file?.close().catch(() => undefined);
  }
}

/** The sha of the whole file from the running hash, or undefined when the file must be read back. */
export async function runningSha(session: Session): Promise<string | undefined> {
  await session.hashing;
  if (session.digest === undefined && session.hash && session.hashedSlices === session.sliceCount) {
    session.digest = session.hash.digest('hex');
    session.hash = undefined;
  }
  return session.digest;
}

/** After a failed sha check: nothing received, and (the prefix being empty) a new running hash. */
export function resetSession(session: Session): void {
  session.received.fill(0);
  session.receivedCount = 0;
  session.hashedSlices = 0;
  session.early.clear();
  session.digest = undefined;
  session.hash = createHash('sha1');
  session.state = 'open';
}
