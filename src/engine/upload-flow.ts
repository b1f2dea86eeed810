// One run of one file's upload, the flow: fingerprint → cross-tab lock → stored session → hash →
// first request → slices, and the recovery for each error action (PROTOCOL.md's table). The upload
// it moves forward (upload.ts) holds the status, the stored session and the retry state; the queue
// decides when a run starts, and a pause or cancel aborts `signal`.

import { ErrorAction, ErrorKind, UploadError, isAbortError } from './errors.js';
import { incompleteError, toUploadError, unfinishedElsewhere } from './error-mapping.js';
import { fingerprintKey } from './fingerprint.js';
import { addRange, clipRanges, plannedSlices } from './ranges.js';
import { reconcileStored } from './session-record.js';
import { withSignature } from './signed-request.js';
import { runSlicePool } from './slice-pool.js';
import { UploadStatus } from './types.js';
import type { ByteRange, SignatureScope, SliceResult, StoredSession, UploadResult } from './types.js';
import type { Upload } from './upload.js';

/** Thrown inside a run to stop it because the browser is offline (not an error). */
class OfflinePause extends Error {}

/** Runs `upload` until it is done, fails, goes offline or `signal` aborts; never rejects. */
export async function runUpload(upload: Upload, signal: AbortSignal): Promise<void> {
  const flow = new UploadFlow(upload, signal);
  try {
    await flow.prepare();
    const result = await flow.uploadPhase();
    upload.live(signal);
    upload.finish(result);
  } catch (e) {
    if (signal.aborted) return; // pause, cancel, dispose: the control already set the status
    if (e instanceof OfflinePause) return upload.pause('offline');
    upload.fail(toUploadError(e));
  }
}

class UploadFlow {
  /** Prefetched slice shas of the current round, by offset. */
  private readonly sliceShas = new Map<number, Promise<string>>();

  constructor(
    private readonly u: Upload,
    private readonly signal: AbortSignal,
  ) {}

  private get deps(): Upload['host']['deps'] {
    return this.u.host.deps;
  }

  private get scope(): SignatureScope {
    const t = this.u.settings.target;
    return { appid: t.appid, bucket: t.bucket, path: this.u.settings.path };
  }

  private live(): void {
    this.u.live(this.signal);
  }

  /** Steps 1–3: fingerprint, lock, stored session. Each is done once per upload, not per run. */
  async prepare(): Promise<void> {
    const { u, signal } = this;
    const { hasher, locks } = this.deps;
    const file = u.file;
    const rec = u.record;
    if (!rec.key || !rec.sampleSha) {
      rec.sampleSha = await hasher.sample(file, signal);
      this.live();
      rec.key = fingerprintKey(u.settings.target, file.name, file.size, rec.sampleSha);
    }
    const key = rec.key;
    if (!u.lock) {
      // Without Web Locks (a failing adapter) uploads go on unguarded rather than not at all.
      const lock = await locks.tryAcquire(key).catch(() => ({ release() {} }));
      // Kept even if a pause came meanwhile: cancel and dispose release it, a pause keeps it.
      u.lock = lock;
      this.live();
      if (!u.lock) {
        // Another tab uploads this very file: wait (without holding a queue slot) and take over.
        u.elsewhere = true;
        u.host.changed();
        u.host.slotsChanged();
        u.lock = await locks.acquire(key, signal);
        u.elsewhere = false;
        this.live();
        u.host.changed();
      }
    }
    if (!rec.loaded) {
      const stored = await u.host.store.get(key);
      this.live();
      const now = this.deps.now();
      const fresh: StoredSession = {
        key, name: file.name, size: file.size, lastModified: file.lastModified, type: file.type,
        path: u.settings.path, target: { ...u.settings.target }, sampleSha: rec.sampleSha,
        acked: [], handle: u.settings.handle, createdAt: now, updatedAt: now,
      };
      const { record, candidate } = reconcileStored(stored, fresh);
      if (!record.metadata) record.metadata = await u.settings.metadata();
      this.live();
      rec.adopt(record, candidate);
    }
    const r = rec.current;
    u.hashedBytes = r.sha ? file.size : (r.checkpoint?.offset ?? 0);
    u.uploadedBytes = rec.ackedBytes;
    u.host.changed();
  }

  /** Step 4: the whole-file SHA-1, from a checkpoint when there is one. */
  private async hash(): Promise<void> {
    const { u, signal } = this;
    const r = u.record.current;
    const size = u.file.size;
    u.setStatus(UploadStatus.Hashing);
    const from = r.checkpoint && r.checkpoint.offset > 0 && r.checkpoint.offset <= size ? r.checkpoint : undefined;
    u.hashedBytes = from?.offset ?? 0;
    u.progress();
    const sha = await this.deps.hasher.sha1(u.file, {
      signal,
      from,
      onProgress: (bytes) => {
        if (signal.aborted) return;
        u.hashedBytes = bytes;
        u.progress();
      },
      onCheckpoint: (checkpoint) => {
        if (!signal.aborted) u.record.checkpoint(checkpoint);
      },
    });
    this.live();
    u.record.hashed(sha);
    u.hashedBytes = size;
    u.uploadedBytes = u.record.ackedBytes;
    u.progress();
  }

  /** Steps 5–7: first request and slices until the server says done, recovering by action. */
  async uploadPhase(): Promise<UploadResult> {
    const { u, signal } = this;
    let distrustAcked = false;
    for (;;) {
      if (!u.record.sha) await this.hash();
      if (!this.deps.online.isOnline()) throw new OfflinePause();
      u.setStatus(UploadStatus.Uploading);
      try {
        const round = await this.transferOnce(distrustAcked);
        if (round.result) return round.result;
        // Everything planned is acked but no 'done' came (lost answer): ask again with the session.
        // If that round had nothing to send, our acked ranges disagree with the server: trust it.
        distrustAcked = round.acked === 0;
        if (distrustAcked) await this.quickRecovery(incompleteError());
      } catch (e) {
        if (signal.aborted || e instanceof OfflinePause) throw e;
        await this.recover(toUploadError(e));
      }
    }
  }

  private async transferOnce(distrustAcked: boolean): Promise<{ result?: UploadResult; acked: number }> {
    const { u, signal } = this;
    const r = u.record.current;
    const sentBefore = u.record.ackedBytes > 0 || u.slicesAcked > 0;
    const created = await withSignature(this.deps.signer, this.scope, signal, (signature) =>
      this.deps.protocol.create({
        target: u.settings.target, name: u.file.name, filesize: u.file.size, sha: r.sha!,
        session: r.session, metadata: r.metadata, signature, signal,
      }),
    );
    this.live();
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
    u.record.save();
    u.uploadedBytes = u.record.ackedBytes;
    u.progress();
    const slices = plannedSlices(u.file.size, created.offset, created.sliceSize, r.acked);
    return runSlicePool({
      slices,
      signal,
      budget: this.deps.sliceBudget,
      limit: () => u.adaptive.limit,
      send: (range, index, sliceSignal) => this.sendSlice(range, slices[index + 1], sliceSignal),
      onAck: (range) => this.onSliceAcked(range),
      onError: (e) => {
        if (e instanceof UploadError && e.kind === ErrorKind.Timeout) u.adaptive.onTimeout();
      },
    }).finally(() => this.sliceShas.clear()); // prefetched shas of a finished round are stale
  }

  private async sendSlice(range: ByteRange, next: ByteRange | undefined, sliceSignal: AbortSignal): Promise<SliceResult> {
    const u = this.u;
    const session = u.record.current.session!;
    let sha: string | undefined;
    if (u.settings.sliceSha) {
      sha = await this.sliceSha(range);
      this.sliceShas.delete(range[0]);
      // Hash the next slice while this one travels, so its sha is ready when its turn comes.
      if (next) void this.sliceSha(next);
    }
    return withSignature(this.deps.signer, this.scope, sliceSignal, (signature) =>
      this.deps.protocol.sendSlice({
        target: u.settings.target, name: u.file.name, session, offset: range[0],
        body: u.file.slice(range[0], range[1]), sha, signature, signal: sliceSignal,
      }),
    );
  }

  private sliceSha(range: ByteRange): Promise<string> {
    let p = this.sliceShas.get(range[0]);
    if (!p) {
      p = this.deps.hasher.sliceSha1(this.u.file.slice(range[0], range[1]), this.signal);
      p.catch(() => undefined); // a prefetch nobody awaits must not be an unhandled rejection
      this.sliceShas.set(range[0], p);
    }
    return p;
  }

  private onSliceAcked(range: ByteRange): void {
    const u = this.u;
    // Even after a pause the bytes are on the server: record them so a resume skips them.
    u.record.acked(range);
    u.slicesAcked++;
    u.retries.progressed();
    u.adaptive.onSliceAcked();
    u.uploadedBytes = u.record.ackedBytes;
    if (!this.signal.aborted) u.progress();
  }

  /** Step 7: what each error action means for this file. Returns to go on; throws to stop. */
  private async recover(err: UploadError): Promise<void> {
    if (isAbortError(err)) return this.backoff(err); // aborted by someone else than us
    switch (err.action) {
      case ErrorAction.Resume:
        this.adoptUnfinishedSession(err);
        return this.quickRecovery(err);
      case ErrorAction.RestartSession:
        this.forgetServerSession();
        return this.quickRecovery(err);
      case ErrorAction.Rehash:
        this.u.retries.allowRehash(err);
        this.u.record.forgetHash();
        this.u.hashedBytes = 0;
        this.u.uploadedBytes = 0;
        return;
      case ErrorAction.Retry:
        if (!this.deps.online.isOnline()) throw new OfflinePause();
        if (err.kind === ErrorKind.Network) await this.assertReadable();
        return this.backoff(err);
      default:
        throw err;
    }
  }

  /**
   * -4019: the server has an unfinished upload of this sha at this path. Go on with its session: the
   * one the answer names, else ours. With neither, asking again would get the same answer forever.
   */
  private adoptUnfinishedSession(err: UploadError): void {
    const r = this.u.record.current;
    const named = err.data?.session;
    if (typeof named === 'string' && named !== '') {
      if (named !== r.session) {
        this.forgetServerSession();
        r.session = named;
        this.u.record.save();
      }
    } else if (!r.session) {
      throw unfinishedElsewhere(err);
    }
  }

  private forgetServerSession(): void {
    this.u.record.forgetServerSession();
    this.u.uploadedBytes = 0;
  }

  /**
   * Chromium fails a fetch whose Blob body can no longer be read (file deleted or rewritten on disk)
   * as a plain network error: read one byte to tell that apart, so it stops as a file error at once
   * instead of retrying for minutes and then blaming the connection.
   */
  private async assertReadable(): Promise<void> {
    try {
      await this.u.file.slice(0, 1).arrayBuffer();
    } catch (e) {
      throw toUploadError(e);
    }
  }

  private async quickRecovery(err: UploadError): Promise<void> {
    if (this.u.retries.quickRecoveryNeedsBackoff()) await this.backoff(err);
  }

  private async backoff(err: UploadError): Promise<void> {
    const { u, signal } = this;
    const { now, random, sleep } = this.deps;
    const delayMs = u.retries.startBackoff(err, now(), random);
    u.setStatus(UploadStatus.Retrying);
    u.host.emit('retry', { upload: u.snapshot(), attempt: u.retries.attempts, delayMs, error: err });
    await sleep(delayMs, signal);
    this.live();
    u.retries.stopWaiting();
  }
}
