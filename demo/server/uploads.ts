// The server's state: finished files (by path and by sha), open sessions with the set of slices
// received, and the rules of the first request (create / resume / instant) and of each slice.
// Request parsing lives in upload-request.ts; this file only decides and stores.

import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { open, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Codes, fail, type Reply } from './codes.js';
import type { Faults } from './faults.js';
import type { FilePath } from './paths.js';
import { count, recordCompleted, type ServerStats } from './stats.js';
import { FileIndex } from './file-index.js';
import {
  createSession,
  firstMissingOffset,
  hashInOrder,
  markReceived,
  resetSession,
  runningSha,
  type Session,
  type SessionMeta,
} from './session.js';
import {
  EMPTY_SHA1,
  listSessionFiles,
  readJson,
  sha1OfFile,
  unlinkQuietly,
  type FileEntry,
  type Layout,
} from './storage.js';

export interface UploadsOptions {
  layout: Layout;
  sliceSize: number;
  discard: boolean;
  stats: ServerStats;
}

/** Builds the `{access_url, url, resource_path}` answer for a finished file. */
export type DoneData = (file: FilePath) => Record<string, string>;

export const METADATA_FIELDS = ['biz_attr', 'video_cover', 'video_title', 'video_desc', 'magicContext'];

export class Uploads {
  readonly files = new Map<string, FileEntry>();
  readonly sessions = new Map<string, Session>();
  /** Sessions by file key (`unfinishedAt`). */
  private readonly byPath = new Map<string, Session[]>();
  private readonly bySha = new Map<string, string>();
  private readonly index: FileIndex;

  constructor(private readonly options: UploadsOptions) {
    this.index = new FileIndex(options.layout, (key, entry) => this.setFile(key, entry));
    if (!options.discard) this.reloadSessions();
  }

  private setFile(key: string, entry: FileEntry): void {
    this.files.set(key, entry);
    this.bySha.set(entry.sha, key);
  }

  private reloadSessions(): void {
    for (const name of listSessionFiles(this.options.layout)) {
      const meta = readJson<SessionMeta>(join(this.options.layout.sessions, name));
      if (!meta?.id || !existsSync(this.partPath(meta.id))) continue;
      this.newSession(meta);
    }
  }

  blobPath(sha: string): string {
    return join(this.options.layout.blobs, sha);
  }

  private partPath(id: string): string {
    return join(this.options.layout.sessions, `${id}.part`);
  }

  private metaPath(id: string): string {
    return join(this.options.layout.sessions, `${id}.json`);
  }

  private newSession(meta: SessionMeta): Session {
    const session = createSession(
      meta,
      this.options.discard ? {} : { metaFile: this.metaPath(meta.id), partFile: this.partPath(meta.id) },
    );
    this.sessions.set(meta.id, session);
    const atPath = this.byPath.get(meta.file.key);
    if (atPath) atPath.push(session);
    else this.byPath.set(meta.file.key, [session]);
    return session;
  }

  /**
   * The sessions of one path not done nor dropped: the first request looks there, not through every
   * session (done ones stay in `sessions` to answer a re-sent last slice), so its cost does not
   * grow with the files finished before. Done and dropped ones are pruned as they are met.
   */
  private unfinishedAt(key: string): Session[] {
    const atPath = this.byPath.get(key);
    if (!atPath) return [];
    const open = atPath.filter((s) => s.state !== 'done' && !s.dropped);
    if (open.length === 0) this.byPath.delete(key);
    else if (open.length < atPath.length) this.byPath.set(key, open);
    return open;
  }

  private async recordFile(file: FilePath, sha: string, size: number, instant: boolean): Promise<void> {
    const entry = { sha, size, completedAt: Date.now() };
    this.setFile(file.key, entry);
    await this.index.add(file.key, entry);
    recordCompleted(this.options.stats, { path: file.resourcePath, sha, size, instant, at: Date.now() });
  }

  /** The first request: instant answer, resume, or a new session. */
  async create(
    file: FilePath,
    req: { sha: string; filesize: number; session?: string; metadata: Record<string, string>; unfinished?: Faults['unfinished'] },
    done: DoneData,
  ): Promise<Reply> {
    const existing = this.files.get(file.key);
    if (existing?.sha === req.sha) return { code: Codes.OK, data: done(file) };
    if (existing) return fail(Codes.FILE_EXISTS, `${file.resourcePath} already holds a different file`);

    if (req.session !== undefined) {
      const session = this.sessions.get(req.session);
      if (!session || session.meta.file.key !== file.key || session.meta.sha !== req.sha) {
        return fail(Codes.SESSION_NOT_FOUND, 'no such session for this path and sha');
      }
      if (session.meta.filesize !== req.filesize) return fail(Codes.SESSION_NOT_FOUND, 'the session has another filesize');
      return this.resume(session, done);
    }
    // Same path, same sha, unfinished: resume it rather than answer -4019 (one round trip less).
    for (const session of this.unfinishedAt(file.key)) {
      const m = session.meta;
      if (m.sha === req.sha && m.filesize === req.filesize) {
        if (!req.unfinished) return this.resume(session, done);
        const data = req.unfinished === 'with-session' ? { session: m.id } : {};
        return fail(Codes.UPLOAD_UNFINISHED, 'this file is being uploaded and is not finished', undefined, data);
      }
    }
    const sameElsewhere = this.bySha.get(req.sha);
    const other = sameElsewhere === undefined ? undefined : this.files.get(sameElsewhere);
    if (other && other.size === req.filesize && (this.options.discard || existsSync(this.blobPath(req.sha)))) {
      await this.recordFile(file, req.sha, req.filesize, true);
      return { code: Codes.OK, data: done(file) };
    }
    if (req.filesize === 0) {
      if (req.sha !== EMPTY_SHA1) return fail(Codes.SHA_MISMATCH, 'the sha of an empty file is ' + EMPTY_SHA1);
      if (!this.options.discard) writeFileSync(this.blobPath(EMPTY_SHA1), '');
      await this.recordFile(file, EMPTY_SHA1, 0, false);
      return { code: Codes.OK, data: done(file) };
    }

    const meta: SessionMeta = {
      id: randomUUID(),
      file,
      sha: req.sha,
      filesize: req.filesize,
      sliceSize: this.options.sliceSize,
      received: [],
      metadata: req.metadata,
      createdAt: Date.now(),
    };
    if (!this.options.discard) writeFileSync(this.partPath(meta.id), '');
    const session = this.newSession(meta);
    await session.save();
    return { code: Codes.OK, data: { session: meta.id, offset: 0, slice_size: meta.sliceSize } };
  }

  private async resume(session: Session, done: DoneData): Promise<Reply> {
    if (session.state === 'open' && session.receivedCount === session.sliceCount) {
      session.completion = this.complete(session, done); // every slice came but the check never ran (restart)
    }
    if (session.state !== 'open' && session.completion) return session.completion;
    const m = session.meta;
    return { code: Codes.OK, data: { session: m.id, offset: firstMissingOffset(session), slice_size: m.sliceSize } };
  }

  /** Checks a slice's place before its bytes are read; undefined means "go ahead". */
  checkSlice(session: Session, file: FilePath, offset: number): Reply | undefined {
    const m = session.meta;
    if (m.file.key !== file.key) return fail(Codes.SESSION_NOT_FOUND, 'the session belongs to another path');
    if (!Number.isSafeInteger(offset) || offset < 0 || offset >= m.filesize || offset % m.sliceSize !== 0) {
      return fail(Codes.SLICE_OFFSET_INVALID, `offset must be a multiple of ${m.sliceSize} below ${m.filesize}`);
    }
    return undefined;
  }

  expectedLength(session: Session, offset: number): number {
    return Math.min(session.meta.sliceSize, session.meta.filesize - offset);
  }

  isReceived(session: Session, offset: number): boolean {
    return session.received[offset / session.meta.sliceSize] === 1;
  }

  /** Opens the part file for positioned writes (not in discard mode). */
  openPart(session: Session): ReturnType<typeof open> {
    return open(this.partPath(session.meta.id), 'r+');
  }

  /**
   * Records a slice whose bytes were written (or, in discard mode, are given in `data`) and answers
   * it; the slice that completes the file runs the sha check.
   */
  async acceptSlice(session: Session, offset: number, length: number, done: DoneData, data?: Buffer): Promise<Reply> {
    const index = offset / session.meta.sliceSize;
    const path = session.meta.file.resourcePath;
    // bytesReceived counts every accepted slice payload; bytesDuplicate the part that was re-sent.
    count(this.options.stats, path, 'bytesReceived', length);
    if (session.received[index]) {
      count(this.options.stats, path, 'bytesDuplicate', length);
      // Re-sent after the file was finished (its answer was lost): give the result again.
      if (session.state !== 'open' && session.completion) return this.withSlice(await session.completion, session, offset);
      return { code: Codes.OK, data: { session: session.meta.id, offset } };
    }
    // Written (the caller awaited it), then marked, then hashed: the hash only reads marked slices.
    markReceived(session, index);
    hashInOrder(session, index, data);
    // Only the request whose slice completes the file carries the result (or the -4016). Its session
    // file is not saved first: a completion removes it, and one that fails saves it (complete()).
    if (session.state === 'open' && session.receivedCount === session.sliceCount) {
      session.completion = this.complete(session, done);
      return this.withSlice(await session.completion, session, offset);
    }
    await session.save();
    return { code: Codes.OK, data: { session: session.meta.id, offset } };
  }

  private withSlice(reply: Reply, session: Session, offset: number): Reply {
    if (reply.code !== Codes.OK) return reply;
    return { code: Codes.OK, data: { ...reply.data, session: session.meta.id, offset } };
  }

  private async complete(session: Session, done: DoneData): Promise<Reply> {
    session.state = 'completing';
    const m = session.meta;
    const part = this.partPath(m.id);
    try {
      // Normally the running hash is done by now (it hashed each slice as the prefix reached it);
      // else (a session loaded after a restart) the whole part file is read back.
      let sha = await runningSha(session);
      if (sha === undefined) {
        sha = await sha1OfFile(part);
        count(this.options.stats, m.file.resourcePath, 'bytesReadBack', m.filesize);
      }
      if (sha !== m.sha) {
        // Start the session over: the client re-hashes and sends everything again.
        resetSession(session);
        await session.save();
        return fail(Codes.SHA_MISMATCH, `the file's sha-1 is ${sha}, not ${m.sha}`);
      }
      const existing = this.files.get(m.file.key);
      if (existing && existing.sha !== sha) {
        await this.drop(session);
        return fail(Codes.FILE_EXISTS, `${m.file.resourcePath} was finished meanwhile with a different file`);
      }
      if (!this.options.discard) {
        const blob = this.blobPath(sha);
        const blobSize = await stat(blob).then((s) => s.size, () => -1);
        if (blobSize === m.filesize) await unlinkQuietly(part);
        else await rename(part, blob);
      }
      await this.recordFile(m.file, sha, m.filesize, false);
      session.state = 'done';
      await unlinkQuietly(this.metaPath(m.id));
      return { code: Codes.OK, data: done(m.file) };
    } catch (error) {
      session.state = 'open';
      await session.save().catch(() => undefined); // every slice received: a resume completes it
      return fail(Codes.INTERNAL, `completing the file failed: ${String(error)}`, 500);
    }
  }

  private async drop(session: Session): Promise<void> {
    session.dropped = true;
    this.sessions.delete(session.meta.id);
    await unlinkQuietly(this.partPath(session.meta.id));
    await unlinkQuietly(this.metaPath(session.meta.id));
  }

  /** Forgets every unfinished session (tests: "the server lost the session" -> -94). */
  async forgetSessions(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => this.drop(s)));
  }
}
