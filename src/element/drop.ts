// Reads files out of drops and pastes: walks dropped folders (webkitGetAsEntry) and keeps a
// FileSystemFileHandle where the browser offers one, so an upload can resume after a reload
// without the file chooser. Also judges a drag in progress against `accept` for the highlight.

import { parseAccept } from './validation.js';

export interface PickedFile {
  file: File;
  handle?: FileSystemFileHandle;
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

/**
 * Collects the files of a drop. Must be called synchronously inside the drop event: the items are
 * emptied once the handler returns, so entries and handle promises are taken first, awaited after.
 */
export function collectDroppedFiles(data: DataTransfer): Promise<PickedFile[]> {
  const jobs: Array<Promise<PickedFile[]>> = [];
  const items = Array.from(data.items ?? []).filter((item) => item.kind === 'file');
  if (items.length === 0) return Promise.resolve(Array.from(data.files, (file) => ({ file })));
  for (const item of items as ItemWithHandle[]) {
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    const handlePromise = typeof item.getAsFileSystemHandle === 'function' ? item.getAsFileSystemHandle().catch(() => null) : undefined;
    const file = item.getAsFile();
    if (entry?.isDirectory) {
      jobs.push(walkDirectory(entry as FileSystemDirectoryEntry));
    } else if (file) {
      jobs.push(
        (handlePromise ?? Promise.resolve(null)).then((handle): PickedFile[] =>
          handle && handle.kind === 'file' ? [{ file, handle: handle as FileSystemFileHandle }] : [{ file }],
        ),
      );
    }
  }
  return Promise.all(jobs).then((lists) => lists.flat());
}

/** Files from a paste: clipboard files carry no handle and no folders. */
export function collectPastedFiles(data: DataTransfer | null): PickedFile[] {
  return data ? Array.from(data.files, (file) => ({ file })) : [];
}

async function walkDirectory(dir: FileSystemDirectoryEntry): Promise<PickedFile[]> {
  const out: PickedFile[] = [];
  const reader = dir.createReader();
  // readEntries returns at most ~100 entries per call: read until it answers with none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const entry of batch) {
      if (entry.isDirectory) out.push(...(await walkDirectory(entry as FileSystemDirectoryEntry)));
      else if (entry.isFile) {
        const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
        out.push({ file });
      }
    }
  }
  return out;
}
