// The page's uploads. Every <vod-uploader> showing the same target (endpoint, appid, bucket, folder), or
// carrying the same `queue` name, shows one shared UploadQueue, and that queue belongs to the page,
// not to an element: a removed element leaves its uploads running, a later one shows them again. A
// queue is let go (listeners, Web Locks of paused uploads, the store's 'pagehide' listener) when no
// element shows it and nothing in it runs by itself (queue.ts `busy`). The page-wide snapshot and
// `subscribe` are for indicators outside the element ("2 uploads running"), e.g. React's
// useSyncExternalStore; the 'beforeunload' question lives here too, as it is about the page.

import { UploadQueue } from '../engine/queue.js';
import type { QueueOptions } from '../engine/options.js';
import type { UploadSnapshot, UploadStatus } from '../engine/types.js';
import { createBrowserDependencies, type ConnectionSettings } from './dependencies.js';

/** What a queue asks of the newest element showing it (or of the last one, once none is left). */
export interface QueueViewer {
  connection(): ConnectionSettings;
  queueOptions(): QueueOptions;
  /** Whether leaving the page while this queue sends asks first (no `no-leave-warning`). */
  leaveWarning(): boolean;
}

/** One queue as the elements showing it see it. */
export interface SharedQueue {
  readonly key: string;
  readonly queue: UploadQueue;
  /** The File behind each upload id, for the poster frames of any element showing the queue. */
  readonly files: Map<string, File>;
  /** The queue's init() (sweep and list the stored sessions): done before anyone lists restorable ones. */
  readonly initialized: Promise<unknown>;
}

export interface PageUploadsSnapshot {
  /** Every upload of the page, in every queue. */
  readonly uploads: readonly UploadSnapshot[];
  /** How many of them are queued to run, hashing, uploading or retrying. */
  readonly running: number;
}

/** The public face of the page's uploads: a store for useSyncExternalStore and the like. */
export interface PageUploads {
  /** `listener` is called after every change of any upload of the page; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
  /** The same object until something changes. */
  getSnapshot(): PageUploadsSnapshot;
}

export type QueueFactory = (current: () => QueueViewer) => { queue: UploadQueue; close(): unknown };

interface Entry extends SharedQueue {
  viewers: QueueViewer[];
  last: QueueViewer;
  close(): unknown;
  unlisten(): void;
}

const RUNNING = ['queued', 'hashing', 'uploading', 'retrying'] as const;
const SENDING = ['hashing', 'uploading', 'retrying'] as const;

/** Uploads of `queue` in one of `statuses`, from the queue's counts (no walk over its list). */
function countIn(queue: UploadQueue, statuses: readonly UploadStatus[]): number {
  const counts = queue.statusCounts;
  return statuses.reduce((sum, s) => sum + counts[s], 0);
}

const EMPTY: PageUploadsSnapshot = Object.freeze({ uploads: Object.freeze([]), running: 0 });

export class UploadRegistry implements PageUploads {
  readonly #create: QueueFactory;
  readonly #page: () => EventTarget | undefined;
  readonly #entries = new Map<string, Entry>();
  readonly #listeners = new Set<() => void>();
  #snapshot = EMPTY;
  /** The queues' list snapshots #snapshot was made of: it is made again only when one is new. */
  #madeOf: ReadonlyArray<readonly UploadSnapshot[]> = [];
  #asking = false;

  constructor(create: QueueFactory, options: { page?: () => EventTarget | undefined } = {}) {
    this.#create = create;
    this.#page = options.page ?? (() => (typeof window === 'undefined' ? undefined : window));
  }

  /** `viewer` shows the queue of `key` (made now if the page has none): it becomes the one asked. */
  join(key: string, viewer: QueueViewer): SharedQueue {
    const entry = this.#entries.get(key) ?? this.#open(key, viewer);
    entry.viewers = [...entry.viewers.filter((v) => v !== viewer), viewer];
    entry.last = viewer;
    this.refresh();
    return entry;
  }

  /** `viewer` shows `shared` no more; the queue goes once nothing in it runs. */
  leave(shared: SharedQueue, viewer: QueueViewer): void {
    const entry = this.#entries.get(shared.key);
    if (entry !== shared) return;
    entry.viewers = entry.viewers.filter((v) => v !== viewer);
    this.#releaseIfUnused(entry);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  };

  /** Made when asked (not on every change): each queue's list snapshot keeps its identity until it changes. */
  getSnapshot = (): PageUploadsSnapshot => {
    const entries = [...this.#entries.values()];
    const lists = entries.map((e) => e.queue.uploads);
    if (lists.length === this.#madeOf.length && lists.every((l, i) => l === this.#madeOf[i])) return this.#snapshot;
    this.#madeOf = lists;
    const uploads = lists.length === 1 ? lists[0]! : Object.freeze(lists.flat());
    const running = entries.reduce((sum, e) => sum + countIn(e.queue, RUNNING), 0);
    this.#snapshot = uploads.length === 0 ? EMPTY : Object.freeze({ uploads, running });
    return this.#snapshot;
  };

  /** Queues the page holds (0 once it let go of everything). */
  get openQueues(): number {
    return this.#entries.size;
  }

  /** Re-reads what the viewers say (an attribute such as no-leave-warning changed). */
  refresh(): void {
    const ask = [...this.#entries.values()].some(
      (e) => (e.viewers.at(-1) ?? e.last).leaveWarning() && countIn(e.queue, SENDING) > 0,
    );
    if (ask === this.#asking) return;
    this.#asking = ask;
    const page = this.#page();
    if (ask) page?.addEventListener('beforeunload', askBeforeLeaving);
    else page?.removeEventListener('beforeunload', askBeforeLeaving);
  }

  #open(key: string, first: QueueViewer): Entry {
    const entry = { key, viewers: [], last: first, files: new Map() } as unknown as Entry;
    const { queue, close } = this.#create(() => entry.viewers.at(-1) ?? entry.last);
    const onChange = (): void => this.#changed();
    const onBusy = (): void => this.#releaseIfUnused(entry);
    queue.addEventListener('change', onChange);
    queue.addEventListener('busy', onBusy);
    Object.assign(entry, {
      queue,
      close,
      initialized: queue.init(),
      unlisten: () => {
        queue.removeEventListener('change', onChange);
        queue.removeEventListener('busy', onBusy);
      },
    });
    this.#entries.set(key, entry);
    return entry;
  }

  #releaseIfUnused(entry: Entry): void {
    if (entry.viewers.length > 0 || entry.queue.busy || this.#entries.get(entry.key) !== entry) return;
    this.#entries.delete(entry.key);
    entry.unlisten();
    // Paused uploads let their locks go; their stored sessions stay, restorable for the next element.
    entry.queue.dispose();
    void entry.initialized.finally(() => entry.close());
    this.#changed();
  }

  /** One call per queue's 'change' (one per burst of changes, queue.ts): nothing here walks the uploads. */
  #changed(): void {
    this.refresh();
    for (const listener of [...this.#listeners]) listener();
  }
}

function askBeforeLeaving(event: Event): void {
  event.preventDefault();
  // Chromium before 119 asks only when returnValue is set.
  if (typeof BeforeUnloadEvent !== 'undefined' && event instanceof BeforeUnloadEvent) event.returnValue = true;
}

/** The page's one registry: every <vod-uploader> of this copy of the package uses it. */
export const uploadRegistry = /* @__PURE__ */ new UploadRegistry((current) => {
  const deps = createBrowserDependencies(() => current().connection());
  return { queue: new UploadQueue(deps, current().queueOptions()), close: () => deps.close() };
});

/** For page-wide indicators: `pageUploads.subscribe(render)`, `pageUploads.getSnapshot().running`. */
export const pageUploads: PageUploads = uploadRegistry;
