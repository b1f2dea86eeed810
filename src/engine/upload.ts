// One file's upload as the queue and the user see it: status, progress and the snapshot, and the
// controls (pause, resume, cancel, retry). It holds the other concerns of an upload: the stored
// session (upload-record.ts), the retry state (retry-state.ts), and runs the flow (upload-flow.ts).

import { AdaptiveConcurrency } from './adaptive-concurrency.js';
import { abortedError, ErrorKind, type UploadError } from './errors.js';
import { errorInfo } from './error-mapping.js';
import { sameFileKey } from './fingerprint.js';
import type { EngineDepsResolved } from './options.js';
import { RetryState } from './retry-state.js';
import type { SendSlots } from './send-slots.js';
import type { SafeStore } from './session-record.js';
import { SpeedMeter } from './speed.js';
import { UploadStatus } from './types.js';
import type {
  LockHandle, Metadata, PausedReason, UploadQueueEventMap, UploadResult, UploadSnapshot, UploadTarget,
} from './types.js';
import { runUpload } from './upload-flow.js';
import { UploadRecord } from './upload-record.js';

/** What an upload needs from its queue. */
export interface UploadHost {
  deps: EngineDepsResolved;
  store: SafeStore;
  emit<K extends keyof UploadQueueEventMap>(type: K, detail: UploadQueueEventMap[K]): void;
  /** Something visible of `upload` changed (the queue dispatches one 'change' per burst). */
  changed(upload: Upload): void;
  /** The run ended, or stopped occupying a slot (waiting for another tab, or only for answers): schedule others. */
  slotsChanged(): void;
  /** The queue's sending slots: one is taken once the hash is complete, before the first request. */
  sendSlots: SendSlots;
}

export interface UploadSettings {
  id: string;
  file: File;
  handle?: FileSystemFileHandle;
  target: UploadTarget;
  path: string;
  metadata: () => Promise<Metadata | undefined>;
  sliceSha: boolean;
  concurrency: number;
  adaptiveConcurrency: boolean;
  startNow: boolean;
}

const PROGRESS_INTERVAL_MS = 200;

export class Upload {
  readonly id: string;
  readonly file: File;
  status: UploadStatus = UploadStatus.Queued;
  readonly record: UploadRecord;
  readonly retries = new RetryState();
  readonly adaptive: AdaptiveConcurrency;
  readonly #sameFile: string;
  // Set by the flow (upload-flow.ts) as it goes; read by the snapshot and the controls.
  lock: LockHandle | null = null;
  /** Waiting for the cross-tab lock another tab holds. */
  elsewhere = false;
  hashedBytes = 0;
  uploadedBytes = 0;
  /** Slices acknowledged by any run of this upload: a done without them was instant. */
  slicesAcked = 0;
  /**
   * Every request of the current round is sent and only answers are awaited: the run has given its
   * sending slot to the next file and does not count among the queue's runs (upload-flow.ts).
   */
  awaitingAnswers = false;
  #wantsToRun: boolean;
  #pausedReason?: PausedReason;
  #controller?: AbortController;
  #running?: Promise<void>;
  #error?: UploadError;
  #result?: UploadResult;
  #started = false;
  #lastProgressAt = Number.NEGATIVE_INFINITY;
  #progressPending = false;
  readonly #meter = new SpeedMeter();
  /** The snapshot until something visible changes: the list snapshot reuses unchanged ones. */
  #cached?: UploadSnapshot;

  constructor(
    readonly host: UploadHost,
    readonly settings: UploadSettings,
  ) {
    this.id = settings.id;
    this.file = settings.file;
    this.#sameFile = sameFileKey(settings.target, settings.file.name, settings.file.size);
    this.#wantsToRun = settings.startNow;
    this.adaptive = new AdaptiveConcurrency(settings.concurrency, settings.adaptiveConcurrency);
    this.record = new UploadRecord(host.store, host.deps.now);
  }

  /** The fingerprint key, once the file was sampled. */
  get key(): string | undefined {
    return this.record.key;
  }

  // ---- what the queue asks -----------------------------------------------------------------

  get isActive(): boolean { return this.#running !== undefined; }
  get occupiesSlot(): boolean { return this.isActive && !this.elsewhere && !this.awaitingAnswers; }
  get isRunnable(): boolean { return this.status === UploadStatus.Queued && this.#wantsToRun && !this.isActive; }
  get isSending(): boolean {
    return this.isActive && (this.status === UploadStatus.Uploading || this.status === UploadStatus.Retrying);
  }
  get isTerminal(): boolean {
    return this.status === UploadStatus.Done || this.status === UploadStatus.Cancelled || this.status === UploadStatus.Error;
  }
  /** The duplicate rule of `add` (fingerprint.ts says why it ignores the modification time). */
  get duplicateKey(): string { return this.#sameFile; }
  get isOfflinePaused(): boolean { return this.status === UploadStatus.Paused && this.#pausedReason === 'offline'; }

  /**
   * The same object until something visible changes (treat it as read-only: the queue's list and
   * every event about this state share it).
   */
  snapshot(): UploadSnapshot {
    this.#cached ??= this.#freshSnapshot();
    return this.#cached;
  }

  /** Something visible changed: a new snapshot next time, and the queue hears of it. */
  changed(): void {
    this.#cached = undefined;
    this.host.changed(this);
  }

  #freshSnapshot(): UploadSnapshot {
    const s = this.status;
    const hashing = s === UploadStatus.Hashing;
    const moving = hashing || s === UploadStatus.Uploading;
    const done = hashing ? this.hashedBytes : this.uploadedBytes;
    const snap: UploadSnapshot = {
      id: this.id, name: this.file.name, size: this.file.size, type: this.file.type, path: this.settings.path,
      status: s, hashedBytes: this.hashedBytes, uploadedBytes: this.uploadedBytes, sha: this.record.sha,
      speed: moving ? Math.round(this.#meter.bytesPerSecond) : 0,
      eta: moving ? this.#meter.eta(this.file.size - done) : undefined,
    };
    const waiting = this.retries.waiting;
    if (waiting && s === UploadStatus.Retrying) {
      snap.retryAt = waiting.at;
      snap.retryReason = errorInfo(waiting.reason);
    }
    if (this.#error) snap.error = errorInfo(this.#error);
    if (this.#result) snap.result = { ...this.#result };
    if (this.elsewhere) snap.elsewhere = true;
    if (s === UploadStatus.Paused && this.#pausedReason) snap.pausedReason = this.#pausedReason;
    return snap;
  }

  start(): void {
    if (this.status === UploadStatus.Queued) this.#wantsToRun = true;
  }

  /** Called by the queue when a slot is free and `isRunnable`. */
  begin(): void {
    const controller = new AbortController();
    this.#controller = controller;
    this.#running = runUpload(this, controller.signal).finally(() => {
      if (this.#controller === controller) this.#controller = undefined;
      this.#running = undefined;
      this.host.slotsChanged();
    });
  }

  /**
   * Stops the run; the cross-tab lock is kept while paused, so that another tab does not take over
   * (and race this one for the same server session) an upload the user means to resume here.
   * A closed tab releases it (dispose, or the browser drops Web Locks with the page).
   */
  pause(reason: PausedReason = 'user'): void {
    if (this.isTerminal) return;
    if (this.status === UploadStatus.Paused) {
      // A user pause outranks an offline one: coming back online must not resume it.
      if (reason === 'user' && this.#pausedReason !== 'user') { this.#pausedReason = 'user'; this.changed(); }
      return;
    }
    this.#pausedReason = reason;
    this.#stopRun('paused');
    this.setStatus(UploadStatus.Paused);
    this.host.emit('pause', { upload: this.snapshot() });
  }

  resume(): void {
    if (this.status !== UploadStatus.Paused) return;
    this.#wantsToRun = true;
    this.#pausedReason = undefined;
    this.setStatus(UploadStatus.Queued);
    this.host.emit('resume', { upload: this.snapshot() });
  }

  /** Aborts, then deletes the stored session and releases the lock once the run has stopped. */
  cancel(): Promise<void> {
    if (this.status === UploadStatus.Done || this.status === UploadStatus.Cancelled) return Promise.resolve();
    this.#stopRun('cancelled');
    this.setStatus(UploadStatus.Cancelled);
    this.host.emit('cancel', { upload: this.snapshot() });
    return this.#forget();
  }

  retry(): void {
    if (this.status !== UploadStatus.Error) return;
    this.#error = undefined;
    this.#cached = undefined;
    this.retries.reset();
    this.record.reopen();
    this.#wantsToRun = true;
    this.setStatus(UploadStatus.Queued);
  }

  /** Drops an errored row: the user gave up on it, so its stored session goes too. */
  discard(): Promise<void> {
    return this.status === UploadStatus.Error ? this.#forget() : Promise.resolve();
  }

  /** The page goes away: stop quietly, keep the stored session for the next page. */
  dispose(): void {
    this.#wantsToRun = false;
    this.#abort('disposed');
    const release = (): void => this.#releaseLock();
    if (this.#running) void this.#running.then(release);
    else release();
  }

  /** Resolves when the current run (if any) and pending store writes are over (tests, dispose). */
  async settled(): Promise<void> {
    await this.#running;
    await this.record.flush();
  }

  /** Pause and cancel: no run wanted, the current one aborted, nothing waited for any more. */
  #stopRun(reason: string): void {
    this.#wantsToRun = false;
    this.#abort(reason);
    this.elsewhere = false;
    this.retries.stopWaiting();
  }

  #abort(reason: string): void {
    this.#controller?.abort(abortedError(reason));
  }

  async #forget(): Promise<void> {
    await this.#running;
    // Only a run that held the lock loaded (and owns) the stored session: an upload that was
    // waiting for another tab must not delete the session that tab is uploading.
    const key = this.record.key;
    if (key && this.record.loaded) {
      // An errored upload let its lock go: another tab may have taken the session over since.
      if (!this.lock) {
        this.lock = await this.host.deps.locks.tryAcquire(key).catch(() => ({ release() {} }));
      }
      if (this.lock) await this.record.remove();
    }
    this.#releaseLock();
  }

  #releaseLock(): void {
    const lock = this.lock;
    this.lock = null;
    try { lock?.release(); } catch { /* a lock that fails to release is gone anyway */ }
  }

  // ---- for the flow (upload-flow.ts) ------------------------------------------------------

  /** After every await in a run: a paused or cancelled run must not touch the state any more. */
  live(signal: AbortSignal): void {
    if (signal.aborted) throw signal.reason ?? abortedError();
  }

  setStatus(next: UploadStatus): void {
    this.#cached = undefined; // a second backoff in a row keeps the status but has a new retryAt
    if (this.status === next) return;
    if (this.#progressPending) this.#emitProgress();
    const previous = this.status;
    this.status = next;
    // 'start' when work really begins (not while waiting for another tab or a queue slot), so its
    // snapshot already says hashing or uploading.
    if (!this.#started && (next === UploadStatus.Hashing || next === UploadStatus.Uploading)) {
      this.#started = true;
      this.host.emit('start', { upload: this.snapshot() });
    }
    // Speed measures one phase at a time; a retry pause is part of the upload phase.
    if (next === UploadStatus.Hashing || (next === UploadStatus.Uploading && previous !== UploadStatus.Retrying)) {
      this.#meter.reset();
    }
    this.changed();
  }

  /** Progress moved: 'progress' and 'change' at most every PROGRESS_INTERVAL_MS (the rest is flushed
   *  at the next status change, so the final numbers are never lost). */
  progress(): void {
    const now = this.host.deps.now();
    const bytes = this.status === UploadStatus.Hashing ? this.hashedBytes : this.uploadedBytes;
    this.#meter.sample(now, bytes);
    this.#cached = undefined;
    if (now - this.#lastProgressAt >= PROGRESS_INTERVAL_MS) this.#emitProgress();
    else this.#progressPending = true;
  }

  #emitProgress(): void {
    this.#lastProgressAt = this.host.deps.now();
    this.#progressPending = false;
    this.#cached = undefined;
    this.host.emit('progress', { upload: this.snapshot() });
    this.changed();
  }

  /** Step 10: the server has the file. */
  finish(result: UploadResult): void {
    this.#result = result;
    this.#cached = undefined;
    this.uploadedBytes = this.file.size;
    this.hashedBytes = this.file.size;
    void this.record.remove();
    this.#releaseLock();
    this.setStatus(UploadStatus.Done);
    this.host.emit('success', { upload: this.snapshot(), result: { ...result } });
  }

  fail(err: UploadError): void {
    this.#error = err;
    this.#cached = undefined;
    this.retries.stopWaiting();
    this.#releaseLock();
    // Keep what lets the upload go on later: transient trouble, an unreadable file (re-selecting
    // it continues), a signing problem (the sha is worth keeping). A terminal server answer
    // (e.g. -4018, file exists) makes the stored session useless.
    const keep = err.retryable || err.kind === ErrorKind.File || err.kind === ErrorKind.Signature;
    if (!keep) void this.record.remove();
    this.setStatus(UploadStatus.Error);
    this.host.emit('error', { upload: this.snapshot(), error: err });
  }
}
