// Wires <vod-uploader> to the page's UploadQueue for its target (page-uploads.ts): joins it when
// connected, leaves it when removed (not when moved), turns queue events into the element's
// `vod-upload-*` DOM events (progress as the engine throttles it: at most every 200 ms, and flushed
// before every status change), keeps the snapshots the view renders, and composes the
// screen-reader announcements (one file: start, quarters, end; a batch: milestones.ts), and the
// queue summary (queue-summary.ts), fed one upload at a time from the events.

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { QueueOptions } from '../engine/options.js';
import { noCounts, type DiscardResult, type StatusCounts, type UploadQueue } from '../engine/queue.js';
import type { RestorableUpload, UploadErrorInfo, UploadQueueEventMap, UploadSnapshot } from '../engine/types.js';
import type { ConnectionSettings } from './dependencies.js';
import { fireVodEvent } from './events.js';
import { format, formatNumber, formatPercent, formatPlural, type VodUploaderStrings } from './i18n.js';
import { MilestoneAnnouncer, type MilestoneTexts } from './milestones.js';
import type { QueueViewer, SharedQueue, UploadRegistry } from './page-uploads.js';
import { QueueSummary } from './queue-summary.js';

export interface UploadControllerConfig {
  /** The page's queues (page-uploads.ts); tests hand in one over fakes. */
  registry: UploadRegistry;
  /** Which queue the element shows: its `queue` name, else its target. */
  queueKey: () => string;
  connection: () => ConnectionSettings;
  queueOptions: () => QueueOptions;
  leaveWarning: () => boolean;
  strings: () => VodUploaderStrings;
  /** The element's language tag, already normalised (any Intl constructor takes it). */
  lang: () => string;
  describeError: (error: UploadErrorInfo) => string;
  /** Called when the uploads changed in a way that matters to the form value or validity; `removed`: rows gone since the last call. */
  onUploadsChanged: (removed: readonly string[]) => void;
}

type Host = ReactiveControllerHost & HTMLElement;

const NO_UPLOADS: readonly UploadSnapshot[] = Object.freeze([]);
const NO_FILES = new Map<string, File>();
const NO_COUNTS: StatusCounts = Object.freeze(noCounts());

export class UploadController implements ReactiveController, QueueViewer {
  /** The same array until something changes (the element's `uploads`). */
  uploads: readonly UploadSnapshot[] = NO_UPLOADS;
  restorable: RestorableUpload[] = [];
  /** The latest sentence for the polite live region. */
  announcement = '';
  /** Stored file handles of restorable uploads, loaded ahead so a click can ask permission at once. */
  readonly handles = new Map<string, FileSystemFileHandle>();

  #shared?: SharedQueue;
  #unlisten?: () => void;
  #initDone?: Promise<void>;
  // A TS-private property (read by test/e2e/element-poster.spec.ts, like the element's `controller`).
  private readonly announcedQuarter = new Map<string, number>();
  /** Totals over the list, kept by deltas (queue-summary.ts). */
  readonly summary = new QueueSummary();
  readonly #milestones = new MilestoneAnnouncer(
    (text) => this.#say(text, {}),
    () => this.#milestoneTexts(),
  );

  readonly #host: Host;
  readonly #config: UploadControllerConfig;

  constructor(host: Host, config: UploadControllerConfig) {
    this.#host = host;
    this.#config = config;
    host.addController(this);
  }

  /** The File behind each upload id, for poster frames; shared with other elements of the queue. */
  get files(): Map<string, File> {
    return this.#shared?.files ?? NO_FILES;
  }

  get #queue(): UploadQueue | undefined {
    return this.#shared?.queue;
  }

  connection(): ConnectionSettings {
    return this.#config.connection();
  }
  queueOptions(): QueueOptions {
    return this.#config.queueOptions();
  }
  leaveWarning(): boolean {
    return this.#config.leaveWarning();
  }

  hostConnected(): void {
    void this.ready();
  }

  /** Removed, or only moved? A move re-inserts the element in the same task: it keeps everything. */
  hostDisconnected(): void {
    queueMicrotask(() => {
      if (!this.#host.isConnected) this.#detach();
    });
  }

  /** Joins the page's queue for this element on first need and lists what can go on. */
  ready(): Promise<void> {
    this.#initDone ??= this.#attach();
    return this.#initDone;
  }

  async #attach(): Promise<void> {
    // Properties set in the same task as the insertion (as frameworks do) choose the queue too.
    await null;
    const shared = this.#config.registry.join(this.#config.queueKey(), this);
    this.#shared = shared;
    this.#unlisten = this.#listen(shared.queue);
    shared.queue.configure(this.#config.queueOptions());
    this.#setUploads(shared.queue.uploads);
    // Rows removed while this element was away (detached, or showing another queue) were named to
    // no listener of it: what it kept for them goes now.
    const gone = this.#rowsNotIn(shared.queue.uploads);
    this.#forgetRows(gone);
    this.#sync(gone);
    await shared.initialized;
    if (this.#shared !== shared) return;
    this.#setRestorable(await shared.queue.listRestorable(), true);
  }

  /** The queue, once joined: a target set late may move the element to another queue meanwhile. */
  async #joined(): Promise<UploadQueue> {
    for (;;) {
      await this.ready();
      if (this.#queue) return this.#queue;
    }
  }

  /** Stops showing the queue; its uploads go on (the page lets the queue go once nothing runs). */
  #detach(): void {
    const shared = this.#shared;
    if (!shared) return;
    this.#unlisten?.();
    this.#unlisten = undefined;
    this.#shared = undefined;
    this.#initDone = undefined;
    this.#config.registry.leave(shared, this);
  }

  #setUploads(uploads: readonly UploadSnapshot[]): void {
    this.uploads = uploads; // the queue's list snapshot: frozen, the same array until something changes
    // Rows added or removed: rebuild the totals. Progress and status arrive one upload at a time (track()).
    if (!this.summary.holds(uploads.length)) this.#resyncSummary();
  }

  #resyncSummary(): void {
    this.summary.sync(this.uploads);
    if (this.uploads.length === 0) this.#milestones.reset();
    else this.#milestones.totalsChanged(this.summary.totals);
  }

  /** One upload's news into the totals; true when the batch (more than one file) announces it. */
  #track(upload: UploadSnapshot): boolean {
    this.summary.update(upload);
    return this.summary.totals.files > 1;
  }

  /** Pushes changed attributes (target, concurrency, metadata...) into the queue. */
  configure(): void {
    const shared = this.#shared;
    if (!shared) return;
    // Target set late (a CMS that fetches it first): an element with nothing in its list moves to
    // that target's queue; one with rows keeps them, and later files go to the new target.
    if (shared.key !== this.#config.queueKey() && this.uploads.length === 0) {
      this.#detach();
      void this.ready();
      return;
    }
    shared.queue.configure(this.#config.queueOptions());
    this.#config.registry.refresh();
  }

  async add(items: Array<{ file: File; handle?: FileSystemFileHandle }>): Promise<{ added: UploadSnapshot[]; duplicates: File[] }> {
    // In chunks that yield to the page: thousands of files at once must not freeze it (queue.ts).
    // Each file is known by its id before its row renders (poster frames, durations).
    const files = this.files;
    const result = await (await this.#joined()).addAll(items, (snapshot, file) => files.set(snapshot.id, file));
    const duplicates = new Set(result.duplicates);
    const fresh = items.filter((item) => !duplicates.has(item.file));
    // A re-chosen file takes the place of its restorable entry (the engine resumes it by fingerprint).
    const chosen = new Set(fresh.map(({ file }) => sameNameAndSize(file.name, file.size)));
    this.restorable = this.restorable.filter((r) => !chosen.has(sameNameAndSize(r.name, r.size)));
    this.#sync();
    return result;
  }

  /** Goes on with a stored upload; the caller has asked for read permission on its handle already. */
  async restore(key: string): Promise<UploadSnapshot> {
    const snapshot = await (await this.#joined()).restore(key);
    this.restorable = this.restorable.filter((r) => r.key !== key);
    this.handles.delete(key);
    this.#sync();
    return snapshot;
  }

  /** Uploads in each status now (the queue keeps them as statuses change). */
  statusCounts(): StatusCounts {
    return this.#queue?.statusCounts ?? NO_COUNTS;
  }

  /** The queue's list as it is now: `uploads` waits for the coalesced 'change' (a frame, in big lists). */
  current(): readonly UploadSnapshot[] {
    return this.#queue?.uploads ?? this.uploads;
  }

  /** Upload id → "same file" key of the uploads in the list (the queue's duplicate rule). */
  fileKeys(): Map<string, string> {
    return this.#queue?.fileKeys() ?? new Map();
  }

  start(id?: string): void {
    this.#queue?.start(id);
  }
  pause(id?: string): void {
    this.#queue?.pause(id);
  }
  resume(id?: string): void {
    this.#queue?.resume(id);
  }
  cancel(id?: string): void {
    this.#queue?.cancel(id);
  }
  /** Without an id: every failed upload, as the "Retry failed" button does (README, Queue view). */
  retry(id?: string): void {
    this.#queue?.retry(id);
    // A retry changes status without an event of its own.
    this.#resyncSummary();
  }
  /** Cancels every unfinished upload (the rows stay, as cancelled). */
  cancelAll(): void {
    this.#queue?.cancel();
  }

  /** Forgets stored sessions (queue.ts `discardStored`) and drops them from the restorable list. */
  async discardStored(key?: string): Promise<DiscardResult> {
    const result = await (await this.#joined()).discardStored(key);
    const gone = new Set(result.discarded);
    this.restorable = this.restorable.filter((r) => !gone.has(r.key));
    this.#prune();
    this.#host.requestUpdate();
    return result;
  }
  remove(id: string): void {
    this.#queue?.remove(id);
  }
  /** Drops errored rows whose file was chosen again: the new row takes their place (and their stored session). */
  replace(ids: readonly string[]): void {
    this.#queue?.removeMany(ids, { keepSession: true });
  }
  clear(): void {
    this.#queue?.clear();
  }
  /**
   * A form reset: drops the finished rows (done, cancelled), which empties the form's value. Running,
   * paused and errored uploads stay, with their stored sessions: a reset must not throw away hours of
   * uploading (issue 13).
   */
  resetFinished(): void {
    this.#queue?.removeMany(this.uploads.filter((u) => u.status === 'done' || u.status === 'cancelled').map((u) => u.id));
  }
  /** "Clear finished": the same rows as a form reset. */
  clearFinished(): void {
    this.resetFinished();
  }
  /** Lets go of the queue now, as a removal does. */
  dispose(): void {
    this.#detach();
  }

  #sync(removed: readonly string[] = []): void {
    this.#prune();
    this.#host.requestUpdate();
    this.#config.onUploadsChanged(removed);
  }

  /** Forgets what was kept for rows that are gone (removed, cleared, replaced): the queue names them. */
  #forgetRows(ids: readonly string[]): void {
    for (const id of ids) {
      this.files.delete(id);
      this.announcedQuarter.delete(id);
    }
  }

  /** Ids this element keeps something for that `uploads` no longer holds (a walk, once per attach). */
  #rowsNotIn(uploads: readonly UploadSnapshot[]): string[] {
    if (this.files.size === 0 && this.announcedQuarter.size === 0) return [];
    const present = new Set(uploads.map((u) => u.id));
    return [...new Set([...this.files.keys(), ...this.announcedQuarter.keys()])].filter((id) => !present.has(id));
  }

  /** Forgets the file handles of entries no longer restorable (a short list). */
  #prune(): void {
    if (this.handles.size === 0) return;
    const keys = new Set(this.restorable.map((r) => r.key));
    for (const key of this.handles.keys()) if (!keys.has(key)) this.handles.delete(key);
  }

  #setRestorable(uploads: RestorableUpload[], fire: boolean): void {
    this.restorable = uploads;
    this.#prune();
    for (const upload of uploads) {
      if (upload.hasHandle && !this.handles.has(upload.key)) void this.#loadHandle(upload.key);
    }
    if (fire && uploads.length > 0) fireVodEvent(this.#host, 'vod-upload-restorable', { uploads });
    this.#host.requestUpdate();
  }

  async #loadHandle(key: string): Promise<void> {
    const stored = await this.#queue?.storedSession(key);
    if (stored?.handle && this.restorable.some((r) => r.key === key)) {
      this.handles.set(key, stored.handle);
      this.#host.requestUpdate();
    }
  }

  #milestoneTexts(): MilestoneTexts {
    const s = this.#config.strings();
    const lang = this.#config.lang();
    const n = (value: number): string => formatNumber(value, lang);
    return {
      done: (name) => format(s.announceDone, { name }),
      doneMany: (count) => formatPlural(s.announceDoneMany, count, lang, { count: n(count) }),
      failedOne: (name, message) => format(s.announceError, { name, message }),
      failedMany: (count) => formatPlural(s.announceFailedMany, count, lang, { count: n(count) }),
      progress: (fraction, finished, files) =>
        format(s.announceBatchProgress, { percent: formatPercent(fraction, lang), finished: n(finished), files: n(files) }),
      batchDone: (done, failed) => format(s.announceBatchDone, { done: n(done), failed: n(failed) }),
    };
  }

  #say(template: string, params: Record<string, string | number>): void {
    this.announcement = format(template, params);
    this.#host.requestUpdate();
  }

  /** Turns the queue's events into this element's; returns what stops that. */
  #listen(queue: UploadQueue): () => void {
    const offs: Array<() => void> = [];
    const on = <K extends keyof UploadQueueEventMap>(name: K, handler: (detail: UploadQueueEventMap[K]) => void): void => {
      const listener = (event: Event): void => handler((event as CustomEvent<UploadQueueEventMap[K]>).detail);
      queue.addEventListener(name, listener);
      offs.push(() => queue.removeEventListener(name, listener));
    };
    const strings = (): VodUploaderStrings => this.#config.strings();

    on('change', ({ uploads, removed }) => {
      this.#setUploads(uploads);
      this.#forgetRows(removed);
      this.#sync(removed);
    });
    on('add', (d) => fireVodEvent(this.#host, 'vod-upload-add', d));
    on('start', (d) => {
      this.announcedQuarter.set(d.upload.id, 0);
      if (!this.#track(d.upload)) this.#say(strings().announceStart, { name: d.upload.name });
      fireVodEvent(this.#host, 'vod-upload-start', d);
    });
    on('progress', (d) => {
      if (!this.#track(d.upload)) this.#announceQuarter(d.upload);
      fireVodEvent(this.#host, 'vod-upload-progress', d);
    });
    on('pause', (d) => {
      // A pause is a user's own act (or the network's): said in batches too.
      this.#track(d.upload);
      this.#say(strings().announcePause, { name: d.upload.name });
      fireVodEvent(this.#host, 'vod-upload-pause', d);
    });
    on('resume', (d) => {
      this.#track(d.upload);
      fireVodEvent(this.#host, 'vod-upload-resume', d);
    });
    on('retry', (d) => {
      this.#track(d.upload);
      fireVodEvent(this.#host, 'vod-upload-retry', d);
    });
    on('success', (d) => {
      if (this.#track(d.upload)) this.#milestones.fileDone(d.upload.name, this.summary.totals);
      else this.#say(strings().announceDone, { name: d.upload.name });
      fireVodEvent(this.#host, 'vod-upload-success', d);
    });
    on('error', (d) => {
      const message = this.#config.describeError({
        code: d.error.code,
        message: d.error.message,
        retryable: d.error.retryable,
        kind: d.error.kind,
      });
      if (this.#track(d.upload)) this.#milestones.fileFailed(d.upload.name, message, this.summary.totals);
      else this.#say(strings().announceError, { name: d.upload.name, message });
      fireVodEvent(this.#host, 'vod-upload-error', d);
    });
    on('cancel', (d) => {
      if (this.#track(d.upload)) this.#milestones.totalsChanged(this.summary.totals);
      fireVodEvent(this.#host, 'vod-upload-cancel', d);
    });
    on('warning', (d) => fireVodEvent(this.#host, 'vod-upload-warning', d));
    return () => offs.forEach((off) => off());
  }

  /** Announces 25, 50 and 75 percent of the sending phase once each; 100 is "complete". */
  #announceQuarter(upload: UploadSnapshot): void {
    if (upload.status !== 'uploading' || upload.size === 0) return;
    const quarter = Math.floor((upload.uploadedBytes / upload.size) * 4);
    const last = this.announcedQuarter.get(upload.id) ?? 0;
    if (quarter > last && quarter < 4) {
      this.announcedQuarter.set(upload.id, quarter);
      this.#say(this.#config.strings().announceProgress, { name: upload.name, percent: formatPercent(quarter / 4, this.#config.lang()) });
    }
  }
}

function sameNameAndSize(name: string, size: number): string {
  return `${size}:${name}`;
}
