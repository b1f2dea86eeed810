// One file's upload, the flow: fingerprint → cross-tab lock → stored session → hash → first
// request → slices, and the recovery for each error action (PROTOCOL.md's table). State and
// controls are in upload-state.ts; the queue decides when a run starts.

import { MAX_ATTEMPTS_WITHOUT_PROGRESS, backoffDelay } from './backoff.js';
import { ErrorAction, ErrorKind, UploadError, isAbortError } from './errors.js';
import { incompleteError, retriesExhausted, shaRejectedTwice, toUploadError, unfinishedElsewhere } from './error-mapping.js';
import { fingerprintKey } from './fingerprint.js';
import { addRange, clipRanges, plannedSlices, totalBytes } from './ranges.js';
import { reconcileStored } from './session-record.js';
import { withSignature } from './signed-request.js';
import { runSlicePool } from './slice-pool.js';
import { UploadStatus } from './types.js';
import type { ByteRange, SignatureScope, SliceResult, StoredSession, UploadResult } from './types.js';
import { UploadState } from './upload-state.js';

export type { UploadHost, UploadSettings } from './upload-state.js';

/** Thrown inside a run to stop it because the browser is offline (not an error). */
class OfflinePause extends Error {}

/** Session-level recoveries (-95, -4019, "all acked but no done") tried at once before backing off. */
const QUICK_RECOVERIES_BEFORE_BACKOFF = 2;

export class Upload extends UploadState {
  protected async run(signal: AbortSignal): Promise<void> {
    try {
      await this.prepare(signal);
      const result = await this.uploadPhase(signal);
      this.live(signal);
      this.finish(result);
    } catch (e) {
      if (signal.aborted) return; // pause, cancel, dispose: the control already set the status
      if (e instanceof OfflinePause) return this.pause('offline');
      this.fail(toUploadError(e));
    }
  }

  private requireRecord(): StoredSession {
    if (!this.record) throw new Error('no stored-session record before prepare()');
    return this.record;
  }

  private get scope(): SignatureScope {
    const t = this.settings.target;
    return { appid: t.appid, bucket: t.bucket, path: this.settings.path };
  }

  /** Steps 1–3: fingerprint, lock, stored session. Each is done once per upload, not per run. */
  private async prepare(signal: AbortSignal): Promise<void> {
    const { hasher, locks } = this.host.deps;
    const file = this.file;
    if (!this.key || !this.sampleSha) {
      this.sampleSha = await hasher.sample(file, signal);
      this.live(signal);
      this.key = fingerprintKey(this.settings.target, file.name, file.size, this.sampleSha);
    }
    const key = this.key;
    if (!this.lock) {
      // Without Web Locks (a failing adapter) uploads go on unguarded rather than not at all.
      const lock = await locks.tryAcquire(key).catch(() => ({ release() {} }));
      // Kept even if a pause came meanwhile: cancel and dispose release it, a pause keeps it.
      this.lock = lock;
      this.live(signal);
      if (!this.lock) {
        // Another tab uploads this very file: wait (without holding a queue slot) and take over.
        this.elsewhere = true;
        this.host.changed();
        this.host.slotsChanged();
        this.lock = await locks.acquire(key, signal);
        this.elsewhere = false;
        this.live(signal);
        this.host.changed();
      }
    }
    if (!this.record) {
      const stored = await this.host.store.get(key);
      this.live(signal);
      const now = this.host.deps.now();
      const fresh: StoredSession = {
        key, name: file.name, size: file.size, lastModified: file.lastModified, type: file.type,
        path: this.settings.path, target: { ...this.settings.target }, sampleSha: this.sampleSha,
        acked: [], handle: this.settings.handle, createdAt: now, updatedAt: now,
      };
      const { record, candidate } = reconcileStored(stored, fresh);
      if (!record.metadata) record.metadata = await this.settings.metadata();
      this.live(signal);
      this.record = record;
      this.candidate = candidate;
      this.persist();
    }
    const r = this.record;
    this.hashedBytes = r.sha ? file.size : (r.checkpoint?.offset ?? 0);
    this.uploadedBytes = totalBytes(r.acked);
    this.host.changed();
  }

  /** Step 4: the whole-file SHA-1, from a checkpoint when there is one. */
  private async hash(signal: AbortSignal): Promise<void> {
    const r = this.requireRecord();
    const size = this.file.size;
    this.setStatus(UploadStatus.Hashing);
    const from = r.checkpoint && r.checkpoint.offset > 0 && r.checkpoint.offset <= size ? r.checkpoint : undefined;
    this.hashedBytes = from?.offset ?? 0;
    this.progress();
    const sha = await this.host.deps.hasher.sha1(this.file, {
      signal,
      from,
      onProgress: (bytes) => {
        if (signal.aborted) return;
        this.hashedBytes = bytes;
        this.progress();
      },
      onCheckpoint: (checkpoint) => {
        if (signal.aborted) return;
        r.checkpoint = checkpoint;
        this.persist();
      },
    });
    this.live(signal);
    r.sha = sha;
    delete r.checkpoint;
    this.hashedBytes = size;
    const c = this.candidate;
    this.candidate = undefined;
    if (c && c.sha === sha) {
      // The file's mtime changed but not its content: the old server session goes on.
      r.session = c.session;
      r.sliceSize = c.sliceSize;
      r.acked = c.acked;
    }
    this.uploadedBytes = totalBytes(r.acked);
    this.persist();
    this.progress();
  }

  /** Steps 5–7: first request and slices until the server says done, recovering by action. */
  private async uploadPhase(signal: AbortSignal): Promise<UploadResult> {
    let distrustAcked = false;
    for (;;) {
      if (!this.requireRecord().sha) await this.hash(signal);
      if (!this.host.deps.online.isOnline()) throw new OfflinePause();
      this.setStatus(UploadStatus.Uploading);
      try {
        const round = await this.transferOnce(signal, distrustAcked);
        if (round.result) return round.result;
        // Everything planned is acked but no 'done' came (lost answer): ask again with the session.
        // If that round had nothing to send, our acked ranges disagree with the server: trust it.
        distrustAcked = round.acked === 0;
        if (distrustAcked) await this.quickRecovery(incompleteError(), signal);
      } catch (e) {
        if (signal.aborted || e instanceof OfflinePause) throw e;
        await this.recover(toUploadError(e), signal);
      }
    }
  }

  private async transferOnce(signal: AbortSignal, distrustAcked: boolean): Promise<{ result?: UploadResult; acked: number }> {
    const r = this.requireRecord();
    const { protocol } = this.host.deps;
    const sentBefore = totalBytes(r.acked) > 0 || this.slicesAcked > 0;
    const created = await withSignature(this.host.deps.signer, this.scope, signal, (signature) =>
      protocol.create({
        target: this.settings.target, name: this.file.name, filesize: this.file.size, sha: r.sha!,
        session: r.session, metadata: r.metadata, signature, signal,
      }),
    );
    this.live(signal);
    if (created.kind === 'done') return { result: { ...created.result, instant: !sentBefore }, acked: 0 };
    if (r.session !== created.session) {
      // Acked ranges belong to a server session: a new session starts from what it reports.
      r.acked = [];
      r.session = created.session;
    } else if (distrustAcked) {
      r.acked = clipRanges(r.acked, created.offset);
    }
    r.sliceSize = created.sliceSize;
    // The server's offset is its first missing byte: everything before it is there.
    r.acked = addRange(r.acked, [0, created.offset]);
    this.uploadedBytes = totalBytes(r.acked);
    this.persist();
    this.progress();
    const slices = plannedSlices(this.file.size, created.offset, created.sliceSize, r.acked);
    return runSlicePool({
      slices,
      signal,
      budget: this.host.deps.sliceBudget,
      limit: () => this.adaptive.limit,
      send: (range, index, sliceSignal) => this.sendSlice(range, slices[index + 1], sliceSignal, signal),
      onAck: (range) => this.onSliceAcked(range, signal),
      onError: (e) => {
        if (e instanceof UploadError && e.kind === ErrorKind.Timeout) this.adaptive.onTimeout();
      },
    }).finally(() => this.sliceShas.clear()); // prefetched shas of a finished round are stale
  }

  private async sendSlice(range: ByteRange, next: ByteRange | undefined, signal: AbortSignal, runSignal: AbortSignal): Promise<SliceResult> {
    const r = this.requireRecord();
    const session = r.session!;
    let sha: string | undefined;
    if (this.settings.sliceSha) {
      sha = await this.sliceSha(range, runSignal);
      this.sliceShas.delete(range[0]);
      // Hash the next slice while this one travels, so its sha is ready when its turn comes.
      if (next) void this.sliceSha(next, runSignal);
    }
    return withSignature(this.host.deps.signer, this.scope, signal, (signature) =>
      this.host.deps.protocol.sendSlice({
        target: this.settings.target, name: this.file.name, session, offset: range[0],
        body: this.file.slice(range[0], range[1]), sha, signature, signal,
      }),
    );
  }

  private sliceSha(range: ByteRange, signal: AbortSignal): Promise<string> {
    let p = this.sliceShas.get(range[0]);
    if (!p) {
      p = this.host.deps.hasher.sliceSha1(this.file.slice(range[0], range[1]), signal);
      p.catch(() => undefined); // a prefetch nobody awaits must not be an unhandled rejection
      this.sliceShas.set(range[0], p);
    }
    return p;
  }

  private onSliceAcked(range: ByteRange, signal: AbortSignal): void {
    const r = this.requireRecord();
    // Even after a pause the bytes are on the server: record them so a resume skips them.
    r.acked = addRange(r.acked, range);
    this.slicesAcked++;
    this.attempts = 0;
    this.quickRecoveries = 0;
    this.adaptive.onSliceAcked();
    this.uploadedBytes = totalBytes(r.acked);
    this.persist();
    if (!signal.aborted) this.progress();
  }

  /** Step 7: what each error action means for this file. Returns to go on; throws to stop. */
  private async recover(err: UploadError, signal: AbortSignal): Promise<void> {
    if (isAbortError(err)) return this.backoff(err, signal); // aborted by someone else than us
    switch (err.action) {
      case ErrorAction.Resume:
        this.adoptUnfinishedSession(err);
        return this.quickRecovery(err, signal);
      case ErrorAction.RestartSession:
        this.forgetServerSession();
        return this.quickRecovery(err, signal);
      case ErrorAction.Rehash:
        if (++this.rehashes > 1) throw shaRejectedTwice(err);
        this.forgetHash();
        return;
      case ErrorAction.Retry:
        if (!this.host.deps.online.isOnline()) throw new OfflinePause();
        if (err.kind === ErrorKind.Network) await this.assertReadable();
        return this.backoff(err, signal);
      default:
        throw err;
    }
  }

  /**
   * -4019: the server has an unfinished upload of this sha at this path. Go on with its session: the
   * one the answer names, else ours. With neither, asking again would get the same answer forever.
   */
  private adoptUnfinishedSession(err: UploadError): void {
    const r = this.requireRecord();
    const named = err.data?.session;
    if (typeof named === 'string' && named !== '') {
      if (named !== r.session) {
        this.forgetServerSession();
        r.session = named;
        this.persist();
      }
    } else if (!r.session) {
      throw unfinishedElsewhere(err);
    }
  }

  /**
   * Chromium fails a fetch whose Blob body can no longer be read (file deleted or rewritten on disk)
   * as a plain network error: read one byte to tell that apart, so it stops as a file error at once
   * instead of retrying for minutes and then blaming the connection.
   */
  private async assertReadable(): Promise<void> {
    try {
      await this.file.slice(0, 1).arrayBuffer();
    } catch (e) {
      throw toUploadError(e);
    }
  }

  private async quickRecovery(err: UploadError, signal: AbortSignal): Promise<void> {
    if (++this.quickRecoveries > QUICK_RECOVERIES_BEFORE_BACKOFF) await this.backoff(err, signal);
  }

  private async backoff(err: UploadError, signal: AbortSignal): Promise<void> {
    const { now, random, sleep } = this.host.deps;
    this.attempts++;
    if (this.attempts > MAX_ATTEMPTS_WITHOUT_PROGRESS) throw retriesExhausted(err, this.attempts - 1);
    const delayMs = backoffDelay(this.attempts, random);
    this.retryAt = now() + delayMs;
    this.retryReason = err;
    this.setStatus(UploadStatus.Retrying);
    this.host.emit('retry', { upload: this.snapshot(), attempt: this.attempts, delayMs, error: err });
    await sleep(delayMs, signal);
    this.live(signal);
    this.retryAt = undefined;
    this.retryReason = undefined;
  }

  private forgetServerSession(): void {
    const r = this.requireRecord();
    delete r.session;
    delete r.sliceSize;
    r.acked = [];
    this.uploadedBytes = 0;
    this.persist();
  }

  private forgetHash(): void {
    const r = this.requireRecord();
    delete r.sha;
    delete r.checkpoint;
    this.candidate = undefined;
    this.hashedBytes = 0;
    this.forgetServerSession();
  }
}
