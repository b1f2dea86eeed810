// One run of one file's upload, the flow: fingerprint → cross-tab lock → stored session → hash →
// first request → slices, and the recovery for each error action (PROTOCOL.md's table). The upload
// it moves forward (upload.ts) holds the status, the stored session and the retry state; the queue
// decides when a run starts, and a pause or cancel aborts `signal`.

import { ErrorAction, ErrorKind, UploadError, isAbortError } from './errors.js';
import { incompleteError, readabilityCheck, sendWhileReadable, toUploadError, unfinishedElsewhere, verdictWithin } from './error-mapping.js';
import type { ReadabilityCheck } from './error-mapping.js';
import { fingerprintKey } from './fingerprint.js';
import { addRange, clipRanges, plannedSlices } from './ranges.js';
import { reconcileStored } from './session-record.js';
import { withSignature } from './signed-request.js';
import { runSlicePool } from './slice-pool.js';
import { UploadStatus } from './types.js';
import type { ByteRange, SignatureScope, SliceResult, StoredSession, UploadResult } from './types.js';
import type { Upload } from './upload.js';

/**
 * The bytes of `range`: the file itself when the range is the whole file (a small file's one slice),
 * since every `slice()` is a synchronous round trip to Chromium's browser process (~0.4 ms).
 */
export function sliceOf(file: Blob, [start, end]: ByteRange): Blob {
  return start === 0 && end === file.size ? file : file.slice(start, end);
}

/** Thrown inside a run to stop it because the browser is offline (not an error). */
class OfflinePause extends Error {}

/** Runs `u` until it is done, fails, goes offline or `signal` aborts (pause, cancel); never rejects. */
export async function runUpload(u: Upload, signal: AbortSignal): Promise<void> {
  const deps = u.host.deps;
  /** Prefetched slice shas of the current round, by offset. */
  const sliceShas = new Map<number, Promise<string>>();
  /** Gives back the queue's sending slot (send-slots.ts), once this run holds one. */
  let releaseSendSlot: (() => void) | undefined;
  let fileCheck: ReadabilityCheck | undefined;
  /** Whether the chosen file can still be read: one check for the run, made when first needed. */
  const fileReadable: ReadabilityCheck = (s) => (fileCheck ??= readabilityCheck(u.file))(s);

  try {
    await prepare();
    const result = await uploadPhase();
    u.live(signal);
    u.finish(result);
  } catch (e) {
    if (signal.aborted) return; // pause, cancel, dispose: the control already set the status
    if (e instanceof OfflinePause) return u.pause('offline');
    u.fail(toUploadError(e));
  } finally {
    releaseSendSlot?.();
  }

  function scope(): SignatureScope {
    const t = u.settings.target;
    return { appid: t.appid, bucket: t.bucket, path: u.settings.path };
  }

  function live(): void {
    u.live(signal);
  }

  /** Steps 1–3: fingerprint, lock, stored session. Each is done once per upload, not per run. */
  async function prepare(): Promise<void> {
    const { hasher, locks } = deps;
    const file = u.file;
    const rec = u.record;
    if (!rec.key || !rec.sampleSha) {
      rec.sampleSha = await hasher.sample(file, signal);
      live();
      rec.key = fingerprintKey(u.settings.target, file.name, file.size, rec.sampleSha);
    }
    const key = rec.key;
    if (!u.lock) {
      // Without Web Locks (a failing adapter) uploads go on unguarded rather than not at all.
      const lock = await locks.tryAcquire(key).catch(() => ({ release() {} }));
      // Kept even if a pause came meanwhile: cancel and dispose release it, a pause keeps it.
      u.lock = lock;
      live();
      if (!u.lock) {
        // Another tab uploads this very file: wait (without holding a queue slot) and take over.
        u.elsewhere = true;
        u.changed();
        u.host.slotsChanged();
        u.lock = await locks.acquire(key, signal);
        u.elsewhere = false;
        live();
        u.changed();
      }
    }
    if (!rec.loaded) {
      const stored = await u.host.store.get(key);
      live();
      const now = deps.now();
      const fresh: StoredSession = {
        key, name: file.name, size: file.size, lastModified: file.lastModified, type: file.type,
        path: u.settings.path, target: { ...u.settings.target }, sampleSha: rec.sampleSha,
        acked: [], handle: u.settings.handle, createdAt: now, updatedAt: now,
      };
      const { record, candidate } = reconcileStored(stored, fresh);
      if (!record.metadata) record.metadata = await u.settings.metadata();
      live();
      rec.adopt(record, candidate);
    }
    const r = rec.current;
    u.hashedBytes = r.sha ? file.size : (r.checkpoint?.offset ?? 0);
    u.uploadedBytes = rec.ackedBytes;
    u.changed();
  }

  /** Step 4: the whole-file SHA-1, from a checkpoint when there is one. */
  async function hash(): Promise<void> {
    const r = u.record.current;
    const size = u.file.size;
    u.setStatus(UploadStatus.Hashing);
    const from = r.checkpoint && r.checkpoint.offset > 0 && r.checkpoint.offset <= size ? r.checkpoint : undefined;
    u.hashedBytes = from?.offset ?? 0;
    u.progress();
    warmSignature();
    const sha = await deps.hasher.sha1(u.file, {
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
    live();
    u.record.hashed(sha);
    u.hashedBytes = size;
    u.uploadedBytes = u.record.ackedBytes;
    u.progress();
  }

  /**
   * Asks the signer for the signature while the file is hashed, so the first request can leave as
   * soon as the hash is done: on a far link the signature fetch (a new connection and a request)
   * is two round trips the upload would otherwise wait for (bench/README.md, "Link"). The signer
   * caches it; a failure here is dropped, the first request asks again and reports it.
   */
  function warmSignature(): void {
    deps.signer.get(scope(), signal).catch(() => undefined);
  }

  /** Steps 5–7: first request and slices until the server says done, recovering by action. */
  async function uploadPhase(): Promise<UploadResult> {
    let distrustAcked = false;
    for (;;) {
      if (!u.record.sha) await hash();
      releaseSendSlot ??= await sendSlot();
      if (!deps.online.isOnline()) throw new OfflinePause();
      u.setStatus(UploadStatus.Uploading);
      try {
        const round = await transferOnce(distrustAcked);
        if (round.result) return round.result;
        // Everything planned is acked but no 'done' came (lost answer): ask again with the session.
        // If that round had nothing to send, our acked ranges disagree with the server: trust it.
        distrustAcked = round.acked === 0;
        if (distrustAcked) await quickRecovery(incompleteError());
      } catch (e) {
        if (signal.aborted || e instanceof OfflinePause) throw e;
        await recover(toUploadError(e));
      }
    }
  }

  /**
   * Waits for one of the queue's sending slots: files hashed ahead of their turn show 'queued' (with
   * their hash complete) until a sending file finishes.
   */
  async function sendSlot(): Promise<() => void> {
    const slots = u.host.sendSlots;
    const now = slots.tryAcquire();
    if (now) return now;
    u.setStatus(UploadStatus.Queued);
    const release = await slots.acquire(signal);
    if (signal.aborted) release();
    live();
    return release;
  }

  async function transferOnce(distrustAcked: boolean): Promise<{ result?: UploadResult; acked: number }> {
    const r = u.record.current;
    const sentBefore = u.record.ackedBytes > 0 || u.slicesAcked > 0;
    const created = await withSignature(deps.signer, scope(), signal, (signature) =>
      deps.protocol.create({
        target: u.settings.target, name: u.file.name, filesize: u.file.size, sha: r.sha!,
        session: r.session, metadata: r.metadata, signature, signal,
      }),
    );
    live();
    if (created.kind === 'done') return { result: { ...created.result, instant: !sentBefore }, acked: 0 };
    const newSession = r.session !== created.session;
    if (newSession) {
      // Acked ranges belong to a server session: a new session starts from what it reports.
      r.acked = [];
      r.session = created.session;
    } else if (distrustAcked) {
      r.acked = clipRanges(r.acked, created.offset);
    }
    r.sliceSize = created.sliceSize;
    // The server's offset is its first missing byte: everything before it is there.
    r.acked = addRange(r.acked, [0, created.offset]);
    if (newSession) u.record.saveNow();
    else u.record.save();
    u.uploadedBytes = u.record.ackedBytes;
    u.progress();
    const slices = plannedSlices(u.file.size, created.offset, created.sliceSize, r.acked);
    return runSlicePool({
      slices,
      signal,
      budget: deps.sliceBudget,
      limit: () => u.adaptive.limit,
      send: sendSlice,
      onAck: (range) => onSliceAcked(range),
      onError: (e) => {
        if (e instanceof UploadError && e.kind === ErrorKind.Timeout) u.adaptive.onTimeout();
      },
      onAllSent: () => handOverSendSlot(),
    }).finally(() => {
      sliceShas.clear(); // prefetched shas of a finished round are stale
      u.awaitingAnswers = false; // a round without the done answer takes a slot again (uploadPhase)
    });
  }

  /**
   * The last slice of the round is on its way: the next file may send its first request now, so that
   * its request waits in the browser's queue for a connection while this file waits for its answers,
   * instead of a connection idling until this file's answer is handled on the main thread (issue 14:
   * a small file is two requests, each answer a main-thread hop). The slices stay in the page's
   * budget until answered; a round that fails or ends without 'done' asks for a slot again.
   * Safety is unchanged: the server session was handed to the store after the first answer (the
   * store coalesces writes, session-record.ts). A reload before that write lands loses the server
   * session, not the file: the next first request with the same sha and path finds the server's
   * unfinished upload (resumed at once by the demo server, or -4019 naming its session, which
   * `recover` follows); for a file of one slice, that slice is all there is to send again.
   */
  function handOverSendSlot(): void {
    if (!releaseSendSlot || !u.host.sendSlots.handOverEarly) return;
    releaseSendSlot();
    releaseSendSlot = undefined;
    u.awaitingAnswers = true;
    u.host.slotsChanged();
  }

  async function sendSlice(range: ByteRange, next: ByteRange | undefined, sliceSignal: AbortSignal): Promise<SliceResult> {
    const session = u.record.current.session!;
    let sha: string | undefined;
    if (u.settings.sliceSha) {
      sha = await sliceSha(range);
      sliceShas.delete(range[0]);
      // Hash the next slice while this one travels, so its sha is ready when its turn comes.
      if (next) void sliceSha(next);
    }
    const body = sliceOf(u.file, range);
    return withSignature(deps.signer, scope(), sliceSignal, (signature) =>
      // Firefox's fetch of a body it cannot read (the file deleted or shrunk) neither sends nor fails
      // until the timeout: a read of the file alongside the request makes that a file error at once.
      sendWhileReadable(fileReadable, sliceSignal, (signal) =>
        deps.protocol.sendSlice({
          target: u.settings.target, name: u.file.name, session, offset: range[0],
          body, sha, signature, signal,
        }),
        deps.sleep,
      ),
    );
  }

  function sliceSha(range: ByteRange): Promise<string> {
    let p = sliceShas.get(range[0]);
    if (!p) {
      p = deps.hasher.sliceSha1(sliceOf(u.file, range), signal);
      p.catch(() => undefined); // a prefetch nobody awaits must not be an unhandled rejection
      sliceShas.set(range[0], p);
    }
    return p;
  }

  function onSliceAcked(range: ByteRange): void {
        // Even after a pause the bytes are on the server: record them so a resume skips them.
    u.record.acked(range);
    u.slicesAcked++;
    u.retries.progressed();
    u.adaptive.onSliceAcked();
    u.uploadedBytes = u.record.ackedBytes;
    if (!signal.aborted) u.progress();
  }

  /** Step 7: what each error action means for this file. Returns to go on; throws to stop. */
  async function recover(err: UploadError): Promise<void> {
    if (isAbortError(err)) return backoff(err); // aborted by someone else than us
    switch (err.action) {
      case ErrorAction.Resume:
        adoptUnfinishedSession(err);
        return quickRecovery(err);
      case ErrorAction.RestartSession:
        forgetServerSession();
        return quickRecovery(err);
      case ErrorAction.Rehash:
        u.retries.allowRehash(err);
        u.record.forgetHash();
        u.hashedBytes = 0;
        u.uploadedBytes = 0;
        return;
      case ErrorAction.Retry:
        if (!deps.online.isOnline()) throw new OfflinePause();
        // A fetch whose Blob body can no longer be read fails as a network error (Chromium) or runs
        // into the timeout (Firefox): a file error then, not minutes of retries blaming the connection.
        if (err.kind === ErrorKind.Network || err.kind === ErrorKind.Timeout) {
          const verdict = await verdictWithin(fileReadable(signal).then(() => undefined, (e: unknown) => e), signal, deps.sleep);
          if (verdict) throw verdict;
        }
        return backoff(err);
      default:
        throw err;
    }
  }

  /**
   * -4019: the server has an unfinished upload of this sha at this path. Go on with its session: the
   * one the answer names, else ours. With neither, asking again would get the same answer forever.
   */
  function adoptUnfinishedSession(err: UploadError): void {
    const r = u.record.current;
    const named = err.data?.session;
    if (typeof named === 'string' && named !== '') {
      if (named !== r.session) {
        forgetServerSession();
        r.session = named;
        u.record.saveNow();
      }
    } else if (!r.session) {
      throw unfinishedElsewhere(err);
    }
  }

  function forgetServerSession(): void {
    u.record.forgetServerSession();
    u.uploadedBytes = 0;
    u.changed();
  }

  async function quickRecovery(err: UploadError): Promise<void> {
    if (u.retries.quickRecoveryNeedsBackoff()) await backoff(err);
  }

  async function backoff(err: UploadError): Promise<void> {
    const { now, random, sleep } = deps;
    const delayMs = u.retries.startBackoff(err, now(), random);
    u.setStatus(UploadStatus.Retrying);
    u.host.emit('retry', { upload: u.snapshot(), attempt: u.retries.attempts, delayMs, error: err });
    await sleep(delayMs, signal);
    live();
    u.retries.stopWaiting();
  }
}
