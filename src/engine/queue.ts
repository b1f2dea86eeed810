// The upload queue: the engine's public face. Holds the list of uploads, starts them
// (`parallelFiles` sending at a time, HASH_AHEAD_FILES more hashing ahead of their turn; their
// slices share the page's budget, slice-budget.ts), pauses everything when the browser goes offline
// and resumes it when it comes back, and reports it all as events. Framework-free: the <vod-uploader>
// element is one view of it; Node tests drive it with fakes.
//
// Cost per file stays flat in the queue's length (issue 14): duplicates are found by key, uploads by
// id, the next one to start by a cursor; the list snapshot is rebuilt from the uploads' own cached
// snapshots (only changed ones are new objects) and 'change' fires once per burst (scheduleChange).

import { ErrorAction, ErrorKind, UploadError } from './errors.js';
import { inFolder, targetPath } from './fingerprint.js';
import {
  HASH_AHEAD_FILES, resolveDeps, resolveOptions,
  type EngineDeps, type EngineDepsResolved, type QueueOptions, type ResolvedOptions,
} from './options.js';
import { Pacer } from './page-yield.js';
import { normalizeRanges, totalBytes } from './ranges.js';
import { SafeStore } from './session-record.js';
import { SendSlots } from './send-slots.js';
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

/** Files `addAll` adds between two yields to the page at most (a time budget may end a chunk sooner). */
export const ADD_CHUNK_FILES = 200;

/** How many uploads are in each status now. */
export type StatusCounts = Readonly<Record<UploadStatus, number>>;

/** Zero uploads in every status. */
export function noCounts(): Record<UploadStatus, number> {
  return Object.fromEntries(Object.values(UploadStatus).map((s) => [s, 0])) as Record<UploadStatus, number>;
}

/** Up to ADD_CHUNK_FILES items from `next.index` on, fewer when `full()` says the chunk has used its time; moves `next.index`. */
function* chunkOf<T>(items: readonly T[], next: { index: number }, full: () => boolean): Generator<T> {
  const end = Math.min(items.length, next.index + ADD_CHUNK_FILES);
  const first = next.index;
  while (next.index < end && (next.index === first || !full())) yield items[next.index++]!;
}

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
  #options: ResolvedOptions;
  readonly #deps: EngineDepsResolved;
  readonly #store: SafeStore;
  #list: Upload[] = [];
  /** Index of each upload in `list`. */
  readonly #position = new Map<Upload, number>();
  readonly #byId = new Map<string, Upload>();
  /** Duplicate key → the upload in the list that `add` refuses another file for. */
  readonly #byDuplicateKey = new Map<string, Upload>();
  /** Uploads with a run (a few: the sending files, those hashed ahead, those waiting for another tab). */
  readonly #active = new Set<Upload>();
  readonly #offlinePaused = new Set<Upload>();
  /** Every upload before this index is not runnable (pump's scan starts here). */
  #cursor = 0;
  readonly #statusOf = new Map<Upload, UploadStatus>();
  readonly #counts = noCounts();
  readonly #sendSlots: SendSlots;
  /** The list snapshot handed out last, and what changed since. */
  #listSnapshot: readonly UploadSnapshot[] = Object.freeze([]);
  readonly #dirty = new Set<Upload>();
  #rebuild = false;
  #changePending = false;
  /** Ids taken out of the list since the last 'change' (its `removed`). */
  #removedSince: string[] = [];
  #changeScheduled = false;
  readonly #host: UploadHost;
  #warned = false;
  #disposed = false;
  #wasBusy = false;
  readonly #unsubscribeOnline: () => void;
  readonly #previousOnWarning: ((e: UploadError) => void) | undefined;

  constructor(deps: EngineDeps, options: QueueOptions) {
    super();
    this.#deps = resolveDeps(deps, pageSliceBudget);
    this.#options = resolveOptions(options);
    this.#sendSlots = new SendSlots(this.#options.parallelFiles);
    this.#store = new SafeStore(deps.store, (e) => this.#warn(e));
    this.#previousOnWarning = deps.store.onWarning;
    const previous = this.#previousOnWarning;
    deps.store.onWarning = (e) => {
      previous?.(e);
      this.#warn(e);
    };
    this.#host = {
      deps: this.#deps,
      store: this.#store,
      emit: (type, detail) => this.#emit(type, detail),
      changed: (upload) => this.#uploadChanged(upload),
      slotsChanged: () => this.#slotsChanged(),
      sendSlots: this.#sendSlots,
    };
    this.#unsubscribeOnline = deps.online.subscribe((online) => this.#onlineChanged(online));
  }

  /** Affects files added later; `concurrency` also the running ones, `parallelFiles` at once. */
  configure(options: Partial<QueueOptions>): void {
    const before = this.#options.concurrency;
    this.#options = resolveOptions({ ...this.#options, ...options, target: options.target ?? this.#options.target });
    if (this.#options.concurrency !== before) {
      for (const u of this.#list) u.adaptive.setCap(this.#options.concurrency);
    }
    this.#sendSlots.setLimit(this.#options.parallelFiles);
    this.#pump();
  }

  /** Sweeps old stored sessions and reports those that can go on ('restorable'). */
  async init(): Promise<RestorableUpload[]> {
    await this.#store.sweep(this.#options.sessionMaxAgeMs);
    const restorable = await this.listRestorable();
    if (!this.#disposed) this.#emit('restorable', { uploads: restorable });
    return restorable;
  }

  /** The stored sessions not in the list, without an event: for a view that joins a running queue. */
  async listRestorable(): Promise<RestorableUpload[]> {
    const stored = await this.#store.list();
    const inList = new Set(this.#list.map((u) => u.key));
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

  /**
   * Adds files at once (one 'add' per file, in order); `addAll` is the same for thousands of files.
   * `onAdded` hears of each file that joined, before its 'add' event (a view maps ids to files).
   */
  add(items: Iterable<AddItem>, onAdded?: (upload: UploadSnapshot, file: File) => void): { added: UploadSnapshot[]; duplicates: File[] } {
    const added: UploadSnapshot[] = [];
    const duplicates: File[] = [];
    for (const item of items) {
      const { file, handle, folder } = item instanceof Blob ? { file: item, handle: undefined, folder: undefined } : item;
      const upload = this.#create(file, handle, inFolder(this.#options.target, folder));
      if (this.#findDuplicate(upload)) {
        duplicates.push(file);
        continue;
      }
      this.#append(upload);
      const snap = upload.snapshot();
      added.push(snap);
      onAdded?.(snap, file);
      this.#emit('add', { upload: snap });
    }
    if (added.length > 0) {
      this.#changed();
      this.#pump();
    }
    return { added, duplicates };
  }

  /**
   * `add` in chunks, yielding to the page between them (`yieldToPage`) so that choosing 10,000 files
   * never blocks it for long; the first files start while later ones are still being added. A chunk
   * ends after ADD_CHUNK_FILES files or PAGE_SLICE_MS of work, whichever comes first: a file whose
   * size the browser has not looked at yet costs a round trip to its file system (page-yield.ts).
   */
  async addAll(items: readonly AddItem[], onAdded?: (upload: UploadSnapshot, file: File) => void): Promise<{ added: UploadSnapshot[]; duplicates: File[] }> {
    const added: UploadSnapshot[] = [];
    const duplicates: File[] = [];
    const pacer = new Pacer(this.#deps.yieldToPage, this.#deps.now);
    const next = { index: 0 };
    while (next.index < items.length) {
      if (next.index > 0) await pacer.yield();
      if (this.#disposed) break;
      const chunk = this.add(chunkOf(items, next, () => pacer.due()), onAdded);
      added.push(...chunk.added);
      duplicates.push(...chunk.duplicates);
    }
    return { added, duplicates };
  }

  /**
   * Goes on with a stored file handle. The caller asks for permission (inside a click) before;
   * this only reads the file. Throws UploadError kind 'file' when it is unavailable.
   */
  async restore(key: string): Promise<UploadSnapshot> {
    const stored = await this.#store.get(key);
    if (!stored?.handle) {
      throw fileError('no-handle', 'This upload cannot be restored without choosing the file again.');
    }
    let file: File;
    try {
      file = await stored.handle.getFile();
    } catch (cause) {
      throw fileError('unavailable', `The file "${stored.name}" is no longer available. Choose it again.`, cause);
    }
    const upload = this.#create(file, stored.handle, stored.target);
    const existing = this.#findDuplicate(upload);
    if (existing) return existing.snapshot();
    this.#append(upload);
    this.#emit('add', { upload: upload.snapshot() });
    this.#changed();
    this.#pump();
    return upload.snapshot();
  }

  start(id?: string): void {
    for (const u of this.#select(id)) {
      u.start();
      this.#mayRun(u);
    }
    this.#pump();
  }
  pause(id?: string): void {
    for (const u of this.#select(id)) u.pause('user');
    this.#pump();
  }
  resume(id?: string): void {
    for (const u of this.#select(id)) {
      u.resume();
      this.#mayRun(u);
    }
    this.#pump();
  }
  /** Aborts and deletes the stored session. */
  cancel(id?: string): void {
    for (const u of this.#select(id)) void u.cancel();
    this.#pump();
  }
  /** Errored → again, from where the server is. */
  retry(id?: string): void {
    for (const u of this.#select(id)) {
      u.retry();
      this.#mayRun(u);
    }
    this.#pump();
  }
  /**
   * Drops a finished, cancelled or errored row (an errored one's stored session goes too, unless
   * `keepSession`: the same file chosen again takes the row's place and resumes from that session).
   */
  remove(id: string, options: { keepSession?: boolean } = {}): void {
    this.removeMany([id], options);
  }
  /** `remove` of many rows in one pass over the list (e.g. "Clear finished" of thousands). */
  removeMany(ids: Iterable<string>, options: { keepSession?: boolean } = {}): void {
    const gone = new Set<Upload>();
    for (const id of ids) {
      const u = this.#byId.get(id);
      if (!u || !u.isTerminal) continue;
      if (!options.keepSession) void u.discard();
      gone.add(u);
    }
    if (gone.size > 0) this.#drop(gone);
  }
  /** Cancels everything not done and empties the list. */
  clear(): void {
    for (const u of this.#list) if (!u.isTerminal) void u.cancel();
    this.#drop(new Set(this.#list));
    this.#pump();
  }

  /**
   * Forgets stored sessions: the one of `key`, or every one not in this list. Each is deleted under
   * its cross-tab lock, so a session that another tab is uploading is refused ('elsewhere'), as is
   * one of an upload in this list ('here': cancel or remove it instead). Never throws.
   */
  async discardStored(key?: string): Promise<DiscardResult> {
    const inList = new Set(this.#list.map((u) => u.key));
    const stored = key === undefined ? await this.#store.list() : [await this.#store.get(key)];
    const result: DiscardResult = { discarded: [], refused: [] };
    for (const s of stored) {
      if (!s) continue;
      const here = inList.has(s.key);
      if (here && key === undefined) continue;
      // A lock API that throws means no locking at all: as for uploads (upload.ts), go on without.
      const lock = here ? null : await this.#deps.locks.tryAcquire(s.key).catch(() => ({ release() {} }));
      if (!lock) {
        result.refused.push({ key: s.key, name: s.name, where: here ? 'here' : 'elsewhere' });
        continue;
      }
      try {
        await this.#store.delete(s.key);
        result.discarded.push(s.key);
      } finally {
        lock.release();
      }
    }
    return result;
  }

  /** A stored session as the store has it (a view loads a restorable upload's file handle ahead). */
  storedSession(key: string): Promise<StoredSession | undefined> {
    return this.#store.get(key);
  }

  /** Upload id → duplicate key (fingerprint.ts `sameFileKey`) of the uploads `add` would refuse a file for. */
  fileKeys(): Map<string, string> {
    return new Map(this.#list.filter(countsAsDuplicate).map((u) => [u.id, u.duplicateKey]));
  }

  /**
   * Whether an upload runs or will run by itself: hashing, sending, retrying, waiting for a slot, or
   * paused because the browser went offline. A user pause, a manual queue not started, done and
   * errored uploads are not busy: nothing happens to them unless someone acts.
   */
  get busy(): boolean {
    for (const u of this.#active) if (u.isActive) return true;
    return this.#offlinePaused.size > 0 || this.#list[this.#cursor]?.isRunnable === true;
  }

  /** Uploads in each status (kept as they change: no walk over the list). */
  get statusCounts(): StatusCounts {
    return { ...this.#counts };
  }

  /** The same frozen array until something changes; unchanged uploads keep their snapshot objects. */
  get uploads(): readonly UploadSnapshot[] {
    if (this.#rebuild) {
      this.#listSnapshot = Object.freeze(this.#list.map((u) => u.snapshot()));
    } else if (this.#dirty.size > 0 || this.#listSnapshot.length !== this.#list.length) {
      const next = this.#listSnapshot.slice();
      for (let i = next.length; i < this.#list.length; i++) next.push(this.#list[i]!.snapshot());
      for (const u of this.#dirty) {
        const i = this.#position.get(u);
        if (i !== undefined) next[i] = u.snapshot();
      }
      this.#listSnapshot = Object.freeze(next);
    }
    this.#rebuild = false;
    this.#dirty.clear();
    return this.#listSnapshot;
  }
  get(id: string): UploadSnapshot | undefined {
    return this.#byId.get(id)?.snapshot();
  }

  /** Aborts everything and unsubscribes; stored sessions stay for the next page. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const u of this.#list) u.dispose();
    this.#unsubscribeOnline();
    this.#deps.store.onWarning = this.#previousOnWarning;
  }

  /** Resolves when no upload is running and every store write is done (tests, teardown). */
  async idle(): Promise<void> {
    for (;;) {
      const busy = this.#list.filter((u) => u.isActive);
      await Promise.all(this.#list.map((u) => u.settled()));
      if (busy.length === 0 && !this.#list.some((u) => u.isActive)) break;
    }
    await null; // the last burst's 'change' (scheduled in a microtask by default)
  }

  // ---- internals ---------------------------------------------------------------------------

  #create(file: File, handle: FileSystemFileHandle | undefined, target: UploadTarget): Upload {
    const metadataFn = this.#options.metadata;
    return new Upload(this.#host, {
      id: newId(), file, handle, target: { ...target }, path: targetPath(target, file.name),
      metadata: async () => (metadataFn ? await metadataFn(file) : undefined) ?? { video_title: file.name },
      sliceSha: this.#options.sliceSha, concurrency: this.#options.concurrency,
      adaptiveConcurrency: this.#options.adaptiveConcurrency, startNow: this.#options.autoStart,
    });
  }

  #findDuplicate(upload: Upload): Upload | undefined {
    const existing = this.#byDuplicateKey.get(upload.duplicateKey);
    return existing && countsAsDuplicate(existing) && this.#position.has(existing) ? existing : undefined;
  }

  #append(upload: Upload): void {
    this.#position.set(upload, this.#list.length);
    this.#list.push(upload);
    this.#byId.set(upload.id, upload);
    this.#byDuplicateKey.set(upload.duplicateKey, upload);
    this.#count(upload);
  }

  /** Takes `gone` out of the list in one pass. */
  #drop(gone: Set<Upload>): void {
    this.#list = this.#list.filter((u) => !gone.has(u));
    this.#position.clear();
    this.#list.forEach((u, i) => this.#position.set(u, i));
    for (const u of gone) {
      this.#removedSince.push(u.id);
      this.#byId.delete(u.id);
      if (this.#byDuplicateKey.get(u.duplicateKey) === u) this.#byDuplicateKey.delete(u.duplicateKey);
      this.#offlinePaused.delete(u);
      this.#dirty.delete(u);
      const status = this.#statusOf.get(u);
      if (status !== undefined) this.#counts[status]--;
      this.#statusOf.delete(u);
    }
    this.#cursor = 0;
    this.#rebuild = true;
    this.#changed();
  }

  #select(id: string | undefined): Upload[] {
    if (id === undefined) return [...this.#list];
    const u = this.#byId.get(id);
    return u ? [u] : [];
  }

  /** `u` may have become runnable: the next pump looks at it again. */
  #mayRun(u: Upload): void {
    const i = this.#position.get(u);
    if (i !== undefined && i < this.#cursor) this.#cursor = i;
  }

  #slotsChanged(): void {
    for (const u of this.#active) {
      if (u.isActive) continue;
      this.#active.delete(u);
      this.#mayRun(u);
    }
    this.#pump();
  }

  /**
   * Starts runnable uploads in list order while fewer than `parallelFiles` + HASH_AHEAD_FILES runs
   * occupy a slot (the sending slots in send-slots.ts hold back the ones hashed ahead).
   */
  #pump(): void {
    if (this.#disposed) return;
    let running = 0;
    for (const u of this.#active) if (u.occupiesSlot) running++;
    const cap = this.#options.parallelFiles + HASH_AHEAD_FILES;
    for (; this.#cursor < this.#list.length; this.#cursor++) {
      const u = this.#list[this.#cursor]!;
      if (!u.isRunnable) continue;
      if (running >= cap) break;
      this.#active.add(u);
      u.begin();
      running++;
    }
    // Every way into or out of `busy` passes here: a control, a run that ended, the network.
    const nowBusy = this.busy;
    if (nowBusy !== this.#wasBusy) {
      this.#wasBusy = nowBusy;
      this.#emit('busy', { busy: nowBusy });
    }
  }

  #onlineChanged(online: boolean): void {
    if (this.#disposed) return;
    // Hashing needs no network: only uploads talking to the server pause (hashing ones stop by
    // themselves when they reach the network phase).
    if (!online) for (const u of [...this.#active]) if (u.isSending) u.pause('offline');
    if (online) {
      for (const u of [...this.#offlinePaused]) {
        u.resume();
        this.#mayRun(u);
      }
    }
    this.#pump();
  }

  #warn(error: UploadError): void {
    if (this.#warned || this.#disposed) return;
    this.#warned = true;
    this.#emit('warning', { error });
  }

  #emit<K extends keyof UploadQueueEventMap>(type: K, detail: UploadQueueEventMap[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** Keeps the status counts, the offline set and the duplicate keys as `u` changes. */
  #count(u: Upload): void {
    const before = this.#statusOf.get(u);
    if (before !== u.status) {
      if (before !== undefined) this.#counts[before]--;
      this.#counts[u.status]++;
      this.#statusOf.set(u, u.status);
    }
    if (u.isOfflinePaused) this.#offlinePaused.add(u);
    else this.#offlinePaused.delete(u);
    if (!countsAsDuplicate(u) && this.#byDuplicateKey.get(u.duplicateKey) === u) this.#byDuplicateKey.delete(u.duplicateKey);
  }

  #uploadChanged(u: Upload): void {
    if (!this.#position.has(u)) return; // removed from the list, its run still winding down
    this.#count(u);
    this.#dirty.add(u);
    this.#changed();
  }

  /** One 'change' per burst: every change until `scheduleChange` runs the flush is in it. */
  #changed(): void {
    this.#changePending = true;
    if (this.#changeScheduled || this.#disposed) return;
    this.#changeScheduled = true;
    this.#deps.scheduleChange(() => {
      this.#changeScheduled = false;
      if (!this.#changePending || this.#disposed) return;
      this.#changePending = false;
      const removed = this.#removedSince;
      this.#removedSince = [];
      this.#emit('change', { uploads: this.uploads, removed });
    }, this.#list.length);
  }
}

/** A cancelled row no longer holds its file: choosing the file again makes a new upload. */
function countsAsDuplicate(u: Upload): boolean {
  return u.status !== UploadStatus.Cancelled;
}

function fileError(code: string, message: string, cause?: unknown): UploadError {
  return new UploadError({ kind: ErrorKind.File, code, message, action: ErrorAction.Fatal, cause });
}
