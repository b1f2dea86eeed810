// Reads files out of drops and pastes: walks dropped folders (webkitGetAsEntry, folder-walk.ts) and keeps a
// FileSystemFileHandle where the browser offers one, so an upload can resume after a reload
// without the file chooser. Also judges a drag in progress against `accept` for the highlight.

import { walkFolders, type WalkOptions } from './folder-walk.js';
import { parseAccept } from './validation.js';

export interface PickedFile {
  file: File;
  handle?: FileSystemFileHandle;
  /**
   * The folder under the element's `folder` the file goes to, `a/b` (from a folder drop or the
   * folder picker: the dropped folder's own name first); absent or '' for the element's folder itself.
   */
  folder?: string;
}

/** Chromium's DataTransferItem.getAsFileSystemHandle (not yet in TypeScript's DOM lib). */
type ItemWithHandle = DataTransferItem & { getAsFileSystemHandle?: () => Promise<FileSystemHandle | null> };

/**
 * During dragover only MIME types are visible, not names. 'reject' when every file item has a
 * known type that `accept` refuses; unknown types (folders, exotic formats) get the benefit of the doubt.
 */
export function dragVerdict(items: DataTransferItemList | undefined, accept: string): 'accept' | 'reject' {
  if (!items) return 'accept';
  const tokens = parseAccept(accept);
  const mimeTokens = tokens.filter((t) => !t.startsWith('.'));
  if (tokens.length === 0 || mimeTokens.length < tokens.length) return 'accept';
  const files = Array.from(items).filter((item) => item.kind === 'file');
  if (files.length === 0) return 'accept';
  const known = files.filter((item) => item.type !== '');
  if (known.length < files.length) return 'accept';
  const ok = known.some((item) => {
    const type = item.type.toLowerCase();
    return mimeTokens.some((t) => t === '*' || t === '*/*' || (t.endsWith('/*') ? type.startsWith(t.slice(0, -1)) : type === t));
  });
  return ok ? 'accept' : 'reject';
}

/** What a drop holds, taken out of the DataTransfer while the drop event runs. */
export interface DroppedItems {
  /** Whether a folder is among them: reading it can take a while (show it, let it be cancelled). */
  hasFolders: boolean;
  /** The files, folders walked (folder-walk.ts). */
  collect: (options?: WalkOptions) => Promise<PickedFile[]>;
}

/**
 * Takes the items of a drop. Must be called synchronously inside the drop event: the items are
 * emptied once the handler returns, so entries and handle promises are taken first, awaited after.
 */
export function takeDroppedItems(data: DataTransfer): DroppedItems {
  const items = Array.from(data.items ?? []).filter((item) => item.kind === 'file');
  if (items.length === 0) {
    const files = Array.from(data.files, (file) => ({ file }));
    return { hasFolders: false, collect: () => Promise.resolve(files) };
  }
  const folders: FileSystemDirectoryEntry[] = [];
  const singles: Array<Promise<PickedFile>> = [];
  for (const item of items as ItemWithHandle[]) {
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    const handlePromise = typeof item.getAsFileSystemHandle === 'function' ? item.getAsFileSystemHandle().catch(() => null) : undefined;
    const file = item.getAsFile();
    if (entry?.isDirectory) {
      folders.push(entry as FileSystemDirectoryEntry);
    } else if (file) {
      singles.push(
        (handlePromise ?? Promise.resolve(null)).then((handle): PickedFile =>
          handle && handle.kind === 'file' ? { file, handle: handle as FileSystemFileHandle } : { file },
        ),
      );
    }
  }
  return {
    hasFolders: folders.length > 0,
    collect: async (options) => [...(await Promise.all(singles)), ...(folders.length > 0 ? await walkFolders(folders, options) : [])],
  };
}

/** Files from a paste: clipboard files carry no handle and no folders. */
export function collectPastedFiles(data: DataTransfer | null): PickedFile[] {
  return data ? Array.from(data.files, (file) => ({ file })) : [];
}
