// Files on their way into the list, from the chooser, the folder picker, a drop (folders walked,
// cancellable, while "Reading folder… N files" shows), a paste or addFiles(): litter dropped silently,
// the rest checked against the attributes, the refusals of one pick told as one notice (one sentence
// for one file, a summary with each file behind a disclosure for more), in the live region, in one
// `vod-upload-reject` per file and one `vod-upload-reject-batch`; an errored row of a file chosen again
// replaced. Also resumes a restorable upload from its stored handle.

import { Pacer } from '../engine/page-yield.js';
import type { RestorableUpload, UploadSnapshot } from '../engine/types.js';
import type { UploadController } from './controller.js';
import { takeDroppedItems, type PickedFile } from './drop.js';
import { fireVodEvent, type VodUploadRejectDetail } from './events.js';
import { folderOf, type WalkOptions } from './folder-walk.js';
import { format, formatNumber, formatPlural, type VodUploaderStrings } from './i18n.js';
import { isLitter } from './litter.js';
import { PickValidator, rejectionMessage, summarizeRejections, type Rejection, type ValidationRules } from './validation.js';

/** The attributes a pick is checked against. */
export interface IntakeSettings {
  accept: string;
  maxSize: number;
  maxFiles: number;
  multiple: boolean;
  /** Files from a folder go to the element's folder itself, not to their subfolders. */
  noFolderPaths: boolean;
}

export interface FileIntakeConfig {
  controller: UploadController;
  settings: IntakeSettings;
  disabled: () => boolean;
  strings: () => VodUploaderStrings;
  lang: () => string;
  nameProblem: ValidationRules['nameProblem'];
  /** The queue's "same file" rule for a file added now (engine/fingerprint.ts `sameFileKey`). */
  sameFile: ValidationRules['sameFile'];
  /** Shows a dismissable notice, with lines behind a disclosure when `details` are given. */
  notify: (text: string, details?: readonly string[]) => void;
  /** The intake's own view state changed (`reading`): render again. */
  changed: () => void;
}

export class FileIntake {
  readonly #host: HTMLElement;
  readonly #config: FileIntakeConfig;

  constructor(
    host: HTMLElement,
    config: FileIntakeConfig,
  ) {
    this.#host = host;
    this.#config = config;
  }

  /** Files found so far by the folder walks under way; undefined when none runs. */
  get reading(): number | undefined {
    if (this.#walks.size === 0) return undefined;
    let found = 0;
    for (const n of this.#walks.values()) found += n;
    return found;
  }

  #walks = new Map<symbol, number>();
  #stopWalks?: AbortController;

  /**
   * Validates and adds; resolves to the snapshots of the files that joined the list. Picks are taken
   * one after another (a second pick waits for the first), so max-files and duplicates count both.
   */
  add(picked: readonly PickedFile[]): Promise<UploadSnapshot[]> {
    return this.#take(picked, (p) => p);
  }

  /** `picked` made into PickedFiles by `toPicked`, one by one inside the paced work (`#addNow`). */
  #take<T>(picked: readonly T[], toPicked: (item: T) => PickedFile): Promise<UploadSnapshot[]> {
    const run = this.#picks.then(() => this.#addNow(picked, toPicked));
    this.#picks = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  #picks: Promise<void> = Promise.resolve();

  /**
   * One pick. Nothing per file runs in the task of the event that brought it: right after a file
   * input's `change` Chromium handles one message of its own per chosen file (10,000 MIME lookups
   * for a pick of 10,000, in tasks that run ahead of the page's timers: bench/README.md), and work
   * of ours in that task made the page's gap longer by as much again. Then every loop over the
   * pick's files is paced (page-yield.ts): Chromium's first look at a chosen file's size is a round
   * trip to its browser process (~0.5 ms), which made a pick of 10,000 files freeze the page for
   * seconds when it was done in one task.
   */
  async #addNow<T>(picked: readonly T[], toPicked: (item: T) => PickedFile): Promise<UploadSnapshot[]> {
    const { controller } = this.#config;
    if (this.#config.disabled() || picked.length === 0) return [];
    const pacer = new Pacer();
    await pacer.yield();
    const flat = this.#config.settings.noFolderPaths;
    const items: PickedFile[] = [];
    for (const item of picked) {
      if (pacer.due()) await pacer.yield();
      const { folder, ...rest } = toPicked(item);
      if (!isLitter(rest.file.name, folder)) items.push(folder && !flat ? { ...rest, folder } : rest);
    }
    if (items.length === 0) return [];
    // Each file's "same file" key once (it reads the size: the slow first look).
    const keys = new Map<File, string>();
    for (const p of items) {
      if (pacer.due()) await pacer.yield();
      keys.set(p.file, this.#config.sameFile(p.file, p.folder));
    }
    const rules = this.#rules(keys);
    const validator = new PickValidator(rules);
    for (const p of items) {
      if (pacer.due()) await pacer.yield();
      validator.check(p);
    }
    const { accepted, rejected } = validator;
    const acceptedFiles = new Set(accepted);
    const joining = items.filter((p) => acceptedFiles.has(p.file));
    if (joining.length === 0) {
      await this.#refuse(rejected, rules, pacer);
      return [];
    }
    const acceptedKeys = new Set(joining.map((p) => keys.get(p.file)));
    controller.replace(rules.replaced.filter(({ key }) => acceptedKeys.has(key)).map(({ id }) => id));
    const { added, duplicates } = await controller.add(joining);
    const duplicated = new Set(duplicates);
    for (const p of joining) if (duplicated.has(p.file)) rejected.push({ file: p.file, reason: 'duplicate', ...(p.folder ? { folder: p.folder } : {}) });
    await this.#refuse(rejected, rules, pacer);
    return added;
  }

  /** The files of a file input's `change`: the folder picker's keep their folders (`webkitRelativePath`). */
  addChosen(files: readonly File[]): Promise<UploadSnapshot[]> {
    return this.#take(files, (file) => ({ file, folder: folderOf(file.webkitRelativePath ?? '') }));
  }

  /** A drop's files, folders walked; call it inside the drop event (the items empty when it returns). */
  async addDrop(data: DataTransfer): Promise<UploadSnapshot[]> {
    if (this.#config.disabled()) return [];
    const dropped = takeDroppedItems(data);
    const picked = dropped.hasFolders ? await this.#walk(dropped.collect) : await dropped.collect();
    return picked ? this.add(picked) : [];
  }

  /** Stops every folder walk under way; nothing it found is added. */
  stopReading(): void {
    this.#stopWalks?.abort();
  }

  /** Runs a folder walk with its progress in `reading`; undefined when it was stopped or failed (told in a notice). */
  async #walk(collect: (options: WalkOptions) => Promise<PickedFile[]>): Promise<PickedFile[] | undefined> {
    const id = Symbol('walk');
    const unreadable: string[] = [];
    const stop = (this.#stopWalks ??= new AbortController());
    this.#walks.set(id, 0);
    this.#config.changed();
    try {
      const found = await collect({
        signal: stop.signal,
        onProgress: (n) => {
          this.#walks.set(id, n);
          this.#config.changed();
        },
        onUnreadable: (path) => unreadable.push(path),
      });
      if (unreadable.length > 0) {
        const s = this.#config.strings();
        const lang = this.#config.lang();
        this.#config.notify(formatPlural(s.readingUnreadable, unreadable.length, lang, { count: formatNumber(unreadable.length, lang) }), unreadable);
      }
      return found;
    } catch (error) {
      const s = this.#config.strings();
      if (stop.signal.aborted) this.#config.notify(s.readingStopped);
      else this.#config.notify(format(s.readingFailed, { message: error instanceof Error ? error.message : String(error) }));
      return undefined;
    } finally {
      this.#walks.delete(id);
      if (this.#walks.size === 0) this.#stopWalks = undefined;
      this.#config.changed();
    }
  }

  /** Goes on with a stored upload from its file handle; call it inside the click. */
  async resumeRestorable(upload: RestorableUpload): Promise<void> {
    const { controller } = this.#config;
    const handle = controller.handles.get(upload.key) as
      | (FileSystemFileHandle & { requestPermission?: (d: { mode: 'read' }) => Promise<PermissionState> })
      | undefined;
    // Asked first thing inside the click: the permission prompt needs the user's gesture.
    try {
      const permission = handle?.requestPermission ? await handle.requestPermission({ mode: 'read' }) : 'granted';
      if (permission === 'granted') await controller.restore(upload.key);
    } catch (error) {
      // The file moved or the permission was refused: the row stays, choosing the file again still works.
      this.#config.notify(error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * The rules for a pick (`picked`: each chosen file's "same file" key). A file chosen again while its row shows an error is not a duplicate: it
   * replaces that row (`replaced`), e.g. after "hashing unavailable" or a file changed on disk.
   */
  #rules(picked: ReadonlyMap<File, string>): ValidationRules & { replaced: Array<{ id: string; key: string }> } {
    const { controller, settings } = this.#config;
    const chosen = new Set(picked.values());
    const sameFile: ValidationRules['sameFile'] = (file, folder) => picked.get(file) ?? this.#config.sameFile(file, folder);
    const replaced: Array<{ id: string; key: string }> = [];
    const known = new Set<string>();
    const listed = controller.fileKeys(); // cancelled rows hold no file any more: not in it
    let count = 0;
    for (const u of controller.current()) {
      const key = listed.get(u.id);
      if (key === undefined) continue;
      if (u.status === 'error' && chosen.has(key)) {
        replaced.push({ id: u.id, key });
        continue;
      }
      count++;
      known.add(key);
    }
    return {
      accept: settings.accept,
      maxSize: settings.maxSize,
      // Without `multiple`, one file per pick (a drop of several keeps the first), within max-files still.
      maxFiles: settings.multiple || (settings.maxFiles > 0 && settings.maxFiles <= count) ? settings.maxFiles : count + 1,
      existingCount: count,
      sameFile,
      known,
      nameProblem: this.#config.nameProblem,
      replaced,
    };
  }

  /**
   * Tells the refusals of one pick: one notice and one announcement (the file's own sentence, or a
   * summary with each file's sentence as its details), one `vod-upload-reject` per file, and one
   * `vod-upload-reject-batch` with them all.
   */
  async #refuse(rejections: readonly Rejection[], rules: ValidationRules, pacer: Pacer): Promise<void> {
    if (rejections.length === 0) return;
    const strings = this.#config.strings();
    const lang = this.#config.lang();
    const details: VodUploadRejectDetail[] = [];
    for (const r of rejections) {
      if (pacer.due()) await pacer.yield();
      details.push({ ...r, message: rejectionMessage(r, rules, strings, lang) });
    }
    const single = details.length === 1 ? details[0] : undefined;
    const message = single ? single.message : summarizeRejections(rejections, rules, strings, lang);
    this.#config.notify(message, single ? undefined : details.map((d) => d.message));
    this.#config.controller.announcement = message;
    for (const detail of details) {
      if (pacer.due()) await pacer.yield();
      fireVodEvent(this.#host, 'vod-upload-reject', detail);
    }
    fireVodEvent(this.#host, 'vod-upload-reject-batch', { rejections: details, message });
  }
}
