// Fake FileSystemEntry trees that answer as Chromium does: at most 100 entries per readEntries call,
// asynchronously (a timer), then an empty batch; files read asynchronously too. For the folder walk.

const BATCH = 100;

/** A folder: a name → a file's size, a subfolder, or 'unreadable' (a file the browser will not read). */
export interface Tree {
  [name: string]: Tree | number | 'unreadable';
}

/** Counts what the walk asked for. */
export interface Calls {
  readEntries: Map<string, number>;
}

function fileEntry(name: string, size: number | 'unreadable', fullPath: string): FileSystemFileEntry {
  return {
    isFile: true,
    isDirectory: false,
    name,
    fullPath,
    file: (ok: (f: File) => void, fail: (e: Error) => void) =>
      setTimeout(() => (size === 'unreadable' ? fail(new DOMException('gone', 'NotFoundError')) : ok(new File([new Uint8Array(size)], name, { type: 'video/mp4' }))), 0),
  } as unknown as FileSystemFileEntry;
}

export function dirEntry(name: string, tree: Tree, fullPath: string, calls: Calls): FileSystemDirectoryEntry {
  const children = Object.entries(tree).map(([child, value]) =>
    typeof value !== 'object' ? fileEntry(child, value, `${fullPath}/${child}`) : dirEntry(child, value, `${fullPath}/${child}`, calls),
  );
  return {
    isFile: false,
    isDirectory: true,
    name,
    fullPath,
    createReader: () => {
      let at = 0;
      return {
        readEntries: (ok: (batch: FileSystemEntry[]) => void) => {
          calls.readEntries.set(fullPath, (calls.readEntries.get(fullPath) ?? 0) + 1);
          const batch = children.slice(at, at + BATCH);
          at += batch.length;
          setTimeout(() => ok(batch), 0);
        },
      };
    },
  } as unknown as FileSystemDirectoryEntry;
}
