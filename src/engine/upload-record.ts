// One upload's stored session: the fingerprint key, the record (sha, hash checkpoint, server
// session, acknowledged ranges) and its writer, and the ways the record changes as the upload goes.
// What may be trusted of an earlier record is decided in session-record.ts (reconcileStored).

import { addRange, totalBytes } from './ranges.js';
import { RecordWriter, type SafeStore, type SessionCandidate } from './session-record.js';
import type { ByteRange, HashCheckpoint, StoredSession } from './types.js';

export class UploadRecord {
  /** Fingerprint key (fingerprint.ts): also the name of the cross-tab lock. */
  key?: string;
  sampleSha?: string;
  #record?: StoredSession;
  /** An earlier session of this key, usable if the whole-file sha turns out the same. */
  #candidate?: SessionCandidate;
  readonly #writer: RecordWriter;

  constructor(store: SafeStore, now: () => number) {
    this.#writer = new RecordWriter(store, () => this.#record, now);
  }

  /** Whether a run loaded (and so owns) the stored session. */
  get loaded(): boolean {
    return this.#record !== undefined;
  }

  /** The record, once loaded. */
  get current(): StoredSession {
    if (!this.#record) throw new Error('no stored-session record before prepare()');
    return this.#record;
  }

  get sha(): string | undefined {
    return this.#record?.sha;
  }

  get ackedBytes(): number {
    return totalBytes(this.#record?.acked ?? []);
  }

  /** The record to go on with, as reconcileStored decided, stored at once. */
  adopt(record: StoredSession, candidate: SessionCandidate | undefined): void {
    this.#record = record;
    this.#candidate = candidate;
    this.save();
  }

  save(): void {
    this.#writer.save();
  }

  /**
   * Saves past the store's coalescing interval: for what a reload could not get back cheaply (the
   * whole file's sha, a new server session). Lost, the next page would hash the file again, or open
   * another session and send again what the first one already holds.
   */
  saveNow(): void {
    this.#writer.save({ now: true });
  }

  checkpoint(checkpoint: HashCheckpoint): void {
    this.current.checkpoint = checkpoint;
    this.save();
  }

  /** The whole-file sha: if it equals the candidate's, the file's mtime changed but not its content. */
  hashed(sha: string): void {
    const r = this.current;
    r.sha = sha;
    delete r.checkpoint;
    const c = this.#candidate;
    this.#candidate = undefined;
    if (c && c.sha === sha) {
      r.session = c.session;
      r.sliceSize = c.sliceSize;
      r.acked = c.acked;
    }
    this.saveNow();
  }

  acked(range: ByteRange): void {
    const r = this.current;
    r.acked = addRange(r.acked, range);
    this.save();
  }

  /** The server's session is gone (or another one is used): acked ranges belonged to it. */
  forgetServerSession(): void {
    const r = this.current;
    delete r.session;
    delete r.sliceSize;
    r.acked = [];
    this.save();
  }

  /** The server refused the sha: hash again from zero, with a new session. */
  forgetHash(): void {
    const r = this.current;
    delete r.sha;
    delete r.checkpoint;
    this.#candidate = undefined;
    this.forgetServerSession();
  }

  /** Deletes the stored session after pending writes; nothing is written afterwards until reopen(). */
  remove(): Promise<void> {
    return this.key ? this.#writer.remove(this.key) : Promise.resolve();
  }

  reopen(): void {
    this.#writer.reopen();
  }

  flush(): Promise<void> {
    return this.#writer.flush();
  }
}
