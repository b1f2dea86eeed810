// Walks dropped folders (FileSystemDirectoryEntry, from webkitGetAsEntry) at any size without
// freezing the page: one readEntries batch at a time (Chromium answers at most 100 entries per call,
// so it is called until it answers with none), the page given back between batches, progress told,
// cancellable. Each file keeps its folder relative to the drop ("trip/day 1"), litter skipped.

import type { PickedFile } from './drop.js';
import { yieldToPage } from '../engine/page-yield.js';
import { isLitter, isLitterFolder } from './litter.js';

export interface WalkOptions {
  /** Aborting stops the walk; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Files found so far, after each batch. */
  onProgress?: (found: number) => void;
  /** How the walk gives the page back between batches (tests count the calls). */
  yieldNow?: () => Promise<void>;
  /**
   * A file or folder the browser would not read (removed meanwhile, no permission): the walk goes on
   * without it, so one bad entry does not lose the other 9,999. `path` is relative, as `folder`.
   */
  onUnreadable?: (path: string) => void;
}

/** `a/b/c.mp4` → `a/b`: the folder part of a relative path (`File.webkitRelativePath`). */
export function folderOf(relativePath: string): string {
  const cut = relativePath.lastIndexOf('/');
  return cut > 0 ? relativePath.slice(0, cut) : '';
}

function readBatch(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function readFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/**
 * Every file under `roots`, each with its folder path from (and including) its root's name. The walk
 * is iterative, so a deep tree costs no stack; folders are read in the order they were found.
 */
export async function walkFolders(roots: readonly FileSystemDirectoryEntry[], options: WalkOptions = {}): Promise<PickedFile[]> {
  const { signal, onProgress, yieldNow = yieldToPage, onUnreadable } = options;
  const out: PickedFile[] = [];
  const pending = roots.filter((dir) => !isLitterFolder(dir.name)).map((dir) => ({ dir, path: dir.name }));
  for (let next = pending.shift(); next; next = pending.shift()) {
    const { dir, path } = next;
    const reader = dir.createReader();
    for (;;) {
      signal?.throwIfAborted();
      const batch = await readBatch(reader).catch(() => {
        onUnreadable?.(path);
        return [];
      });
      if (batch.length === 0) break;
      const files: Array<Promise<PickedFile | undefined>> = [];
      for (const entry of batch) {
        if (entry.isDirectory) {
          if (!isLitterFolder(entry.name)) pending.push({ dir: entry as FileSystemDirectoryEntry, path: `${path}/${entry.name}` });
        } else if (entry.isFile && !isLitter(entry.name)) {
          files.push(
            readFile(entry as FileSystemFileEntry).then(
              (file) => ({ file, folder: path }),
              () => void onUnreadable?.(`${path}/${entry.name}`),
            ),
          );
        }
      }
      for (const picked of await Promise.all(files)) if (picked) out.push(picked);
      onProgress?.(out.length);
      await yieldNow();
    }
  }
  signal?.throwIfAborted();
  return out;
}
