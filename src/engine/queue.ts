// The upload queue: the engine's public face. Holds the list of uploads, starts them
// (`parallelFiles` at a time; their slices share the page's budget, slice-budget.ts), pauses
// everything when the browser goes offline and resumes it when it comes back, and reports it all
// as events. Framework-free: the <vod-uploader> element is one view of it; Node tests drive it
// with fakes.

import { ErrorAction, ErrorKind, UploadError } from './errors.js';
import { inFolder, targetPath } from './fingerprint.js';
import {
  resolveDeps, resolveOptions,
  type EngineDeps, type EngineDepsResolved, type QueueOptions, type ResolvedOptions,
} from './options.js';
import { normalizeRanges, totalBytes } from './ranges.js';
import { SafeStore } from './session-record.js';
import { pageSliceBudget } from './slice-budget.js';
import { UploadStatus } from './types.js';
import type { RestorableUpload, StoredSession, UploadQueueEventMap, UploadSnapshot, UploadTarget } from './types.js';
import { Upload, type UploadHost } from './upload.js';

export type { EngineDeps, QueueOptions } from './options.js';

export type UploadQueueEvent<K extends keyof UploadQueueEventMap> = CustomEvent<UploadQueueEventMap[K]>;

/** Typed listeners: `queue.addEventListener('success', (e) => e.detail.result)`. */
export interface UploadQueue {
  addEventListener<K extends keyof UploadQueueEventMap>(
    type: K, listener: (event: UploadQueueEvent<K>) => void, options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof UploadQueueEventMap>(
    type: K, listener: (event: UploadQueueEvent<K>) => void, options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/** What `discardStored` did: keys deleted, and sessions it refused to delete (uploading here or in another tab). */
export interface DiscardResult {
  discarded: string[];
  refused: Array<{ key: string; name: string; where: 'here' | 'elsewhere' }>;
}

/** `folder`: a subfolder of the target's folder for this file (a folder drop keeps its tree). */
type AddItem = File | { file: File; handle?: FileSystemFileHandle; folder?: string };

let idCounter = 0;
function newId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return typeof c?.randomUUID === 'function' ? c.randomUUID() : `upload-${++idCounter}`;
}

/**
 * @fires add, start, progress, pause, resume, retry, success, error, cancel, change, warning, restorable, busy
 *   (CustomEvent with the detail of UploadQueueEventMap[name])
 */
export class UploadQueue extends EventTarget {
  private options: ResolvedOptions;
  private readonly deps: EngineDepsResolved;
  private readonly store: SafeStore;
  private list: Upload[] = [];
  private readonly host: UploadHost;
  private warned = false;
  private disposed = false;
  private wasBusy = false;
  private readonly unsubscribeOnline: () => void;
  private readonly previousOnWarning: ((e: UploadError) => void) | undefined;

  constructor(deps: EngineDeps, options: QueueOptions) {
    super();
    this.deps = resolveDeps(deps, pageSliceBudget);
    this.options = resolveOptions(options);
    this.store = new SafeStore(deps.store, (e) => this.warn(e));
    this.previousOnWarning = deps.store.onWarning;
    const previous = this.previousOnWarning;
    deps.store.onWarning = (e) => {
      previous?.(e);
      this.warn(e);
    };
    this.host = {
      deps: this.deps,
      store: this.store,
      emit: (type, detail) => this.emit(type, detail),
      changed: () => this.changed(),
      slotsChanged: () => this.pump(),
    };
    this.unsubscribeOnline = deps.online.subscribe((online) => this.onlineChanged(online));
  }

  /** Affects files added later; `concurrency` also the running ones, `parallelFiles` at once. */
  configure(options: Partial<QueueOptions>): void {
    const before = this.options.concurrency;
    this.options = resolveOptions({ ...this.options, ...options, target: options.target ?? this.options.target });
    if (this.options.concurrency !== before) {
      for (const u of this.list) u.adaptive.setCap(this.options.concurrency);
    }
    this.pump();
  }

  /** Sweeps old stored sessions and reports those that can go on ('restorable'). */
  async init(): Promise<RestorableUpload[]> {
    await this.store.sweep(this.options.sessionMaxAgeMs);
    const restorable = await this.listRestorable();
    if (!this.disposed) this.emit('restorable', { uploads: restorable });
    return restorable;
  }

  /** The stored sessions not in the list, without an event: for a view that joins a running queue. */
  async listRestorable(): Promise<RestorableUpload[]> {
    const stored = await this.store.list();
    const inList = new Set(this.list.map((u) => u.key));
    const restorable = stored
      .filter((s) => !inList.has(s.key))
      .map((s): RestorableUpload => ({
        key: s.key, name: s.name, size: s.size, type: s.type, path: s.path,
        uploadedBytes: totalBytes(normalizeRanges(s.acked ?? [])),
        hashedBytes: s.sha ? s.size : (s.checkpoint?.offset ?? 0),
        hasHandle: s.handle !== undefined, updatedAt: s.updatedAt,
      }));
    return restorable;
  }

  add(items: Iterable<AddItem>): { added: UploadSnapshot[]; duplicates: File[] } {
    const added: UploadSnapshot[] = [];
    const duplicates: File[] = [];
    for (const item of items) {
      const { file, handle, folder } = item instanceof Blob ? { file: item, handle: undefined, folder: undefined } : item;
      const upload = this.create(file, handle, inFolder(this.options.target, folder));
      if (this.findDuplicate(upload)) {
        duplicates.push(file);
        continue;
      }
      this.list.push(upload);
      const snap = upload.snapshot();
      added.push(snap);
      this.emit('add', { upload: snap });
    }
    if (added.length > 0) {
      this.changed();
      this.pump();
    }
    return { added, duplicates };
  }

  /**
   * Goes on with a stored file handle. The caller asks for permission (inside a click) before;
   * this only reads the file. Throws UploadError kind 'file' when it is unavailable.
   */
  async restore(key: string): Promise<UploadSnapshot> {
    const stored = await this.store.get(key);
    if (!stored?.handle) {
      throw fileError('no-handle', 'This upload cannot be restored without choosing the file again.');
    }
    let file: File;
    try {
      file = await stored.handle.getFile();
    } catch (cause) {
      throw fileError('unavailable', `The file "${stored.name}" is no longer available. Choose it again.`, cause);
    }
    const upload = this.create(file, stored.handle, stored.target);
    const existing = this.findDuplicate(upload);
    if (existing) return existing.snapshot();
    this.list.push(upload);
    this.emit('add', { upload: upload.snapshot() });
    this.changed();
    this.pump();
    return upload.snapshot();
  }

  start(id?: string): void {
    for (const u of this.select(id)) u.start();
    this.pump();
  }
  pause(id?: string): void {
    for (const u of this.select(id)) u.pause('user');
    this.pump();
  }
  resume(id?: string): void {
    for (const u of this.select(id)) u.resume();
    this.pump();
  }
  /** Aborts and deletes the stored session. */
  cancel(id?: string): void {
    for (const u of this.select(id)) void u.cancel();
    this.pump();
  }
  /** Errored → again, from where the server is. */
  retry(id?: string): void {
    for (const u of this.select(id)) u.retry();
    this.pump();
  }
  /**
   * Drops a finished, cancelled or errored row (an errored one's stored session goes too, unless
   * `keepSession`: the same file chosen again takes the row's place and resumes from that session).
   */
  remove(id: string, options: { keepSession?: boolean } = {}): void {
    const u = this.list.find((x) => x.id === id);
    if (!u || !u.isTerminal) return;
    if (!options.keepSession) void u.discard();
    this.list = this.list.filter((x) => x !== u);
    this.changed();
  }
  /** Cancels everything not done and empties the list. */
  clear(): void {
    for (const u of this.list) if (!u.isTerminal) void u.cancel();
    this.list = [];
    this.changed();
    this.pump();
  }

  /**
   * Forgets stored sessions: the one of `key`, or every one not in this list. Each is deleted under
   * its cross-tab lock, so a session that another tab is uploading is refused ('elsewhere'), as is
   * one of an upload in this list ('here': cancel or remove it instead). Never throws.
   */
  async discardStored(key?: string): Promise<DiscardResult> {
    const inList = new Set(this.list.map((u) => u.key));
    const stored = key === undefined ? await this.store.list() : [await this.store.get(key)];
    const result: DiscardResult = { discarded: [], refused: [] };
    for (const s of stored) {
      if (!s) continue;
      const here = inList.has(s.key);
      if (here && key === undefined) continue;
      // A lock API that throws means no locking at all: as for uploads (upload.ts), go on without.
      const lock = here ? null : await this.deps.locks.tryAcquire(s.key).catch(() => ({ release() {} }));
      if (!lock) {
        result.refused.push({ key: s.key, name: s.name, where: here ? 'here' : 'elsewhere' });
        continue;
      }
      try {
        await this.store.delete(s.key);
        result.discarded.push(s.key);
      } finally {
        lock.release();
      }
    }
    return result;
  }

  /** A stored session as the store has it (a view loads a restorable upload's file handle ahead). */
  storedSession(key: string): Promise<StoredSession | undefined> {
    return this.store.get(key);
  }

  /** Upload id → duplicate key (fingerprint.ts `sameFileKey`) of the uploads `add` would refuse a file for. */
  fileKeys(): Map<string, string> {
    return new Map(this.list.filter(countsAsDuplicate).map((u) => [u.id, u.duplicateKey]));
  }

  /**
   * Whether an upload runs or will run by itself: hashing, sending, retrying, waiting for a slot, or
   * paused because the browser went offline. A user pause, a manual queue not started, done and
   * errored uploads are not busy: nothing happens to them unless someone acts.
   */
  get busy(): boolean {
    return this.list.some((u) => u.isActive || u.isRunnable || u.isOfflinePaused);
  }

  get uploads(): UploadSnapshot[] {
    return this.list.map((u) => u.snapshot());
  }
  get(id: string): UploadSnapshot | undefined {
    return this.list.find((u) => u.id === id)?.snapshot();
  }

  /** Aborts everything and unsubscribes; stored sessions stay for the next page. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const u of this.list) u.dispose();
    this.unsubscribeOnline();
    this.deps.store.onWarning = this.previousOnWarning;
  }

  /** Resolves when no upload is running and every store write is done (tests, teardown). */
  async idle(): Promise<void> {
    for (;;) {
      const busy = this.list.filter((u) => u.isActive);
      await Promise.all(this.list.map((u) => u.settled()));
      if (busy.length === 0 && !this.list.some((u) => u.isActive)) return;
    }
  }

  // ---- internals ---------------------------------------------------------------------------

  private create(file: File, handle: FileSystemFileHandle | undefined, target: UploadTarget): Upload {
    const metadataFn = this.options.metadata;
    return new Upload(this.host, {
      id: newId(), file, handle, target: { ...target }, path: targetPath(target, file.name),
      metadata: async () => (metadataFn ? await metadataFn(file) : undefined) ?? { video_title: file.name },
      sliceSha: this.options.sliceSha, concurrency: this.options.concurrency,
      adaptiveConcurrency: this.options.adaptiveConcurrency, startNow: this.options.autoStart,
    });
  }

  private findDuplicate(upload: Upload): Upload | undefined {
    const key = upload.duplicateKey;
    return this.list.find((u) => countsAsDuplicate(u) && u.duplicateKey === key);
  }

  private select(id: string | undefined): Upload[] {
    return id === undefined ? [...this.list] : this.list.filter((u) => u.id === id);
  }

  /** Starts runnable uploads in list order while fewer than `parallelFiles` occupy a slot. */
  private pump(): void {
    if (this.disposed) return;
    let busy = this.list.filter((u) => u.occupiesSlot).length;
    for (const u of this.list) {
      if (busy >= this.options.parallelFiles) break;
      if (u.isRunnable) {
        u.begin();
        busy++;
      }
    }
    // Every way into or out of `busy` passes here: a control, a run that ended, the network.
    const nowBusy = this.busy;
    if (nowBusy !== this.wasBusy) {
      this.wasBusy = nowBusy;
      this.emit('busy', { busy: nowBusy });
    }
  }

  private onlineChanged(online: boolean): void {
    if (this.disposed) return;
    for (const u of this.list) {
      // Hashing needs no network: only uploads talking to the server pause (hashing ones stop
      // by themselves when they reach the network phase).
      if (!online && u.isSending) u.pause('offline');
      else if (online && u.isOfflinePaused) u.resume();
    }
    this.pump();
  }

  private warn(error: UploadError): void {
    if (this.warned || this.disposed) return;
    this.warned = true;
    this.emit('warning', { error });
  }

  private emit<K extends keyof UploadQueueEventMap>(type: K, detail: UploadQueueEventMap[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  private changed(): void {
    if (!this.disposed) this.emit('change', { uploads: this.uploads });
  }
}

/** A cancelled row no longer holds its file: choosing the file again makes a new upload. */
function countsAsDuplicate(u: Upload): boolean {
  return u.status !== UploadStatus.Cancelled;
}

function fileError(code: string, message: string, cause?: unknown): UploadError {
  return new UploadError({ kind: ErrorKind.File, code, message, action: ErrorAction.Fatal, cause });
}
