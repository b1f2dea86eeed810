// The folder walk of a drop (src/element/folder-walk.ts) over fake FileSystemEntry trees that answer
// as Chromium does: at most 100 entries per readEntries call, asynchronously, then an empty batch.
// 10,000 files across nested folders with the operating systems' litter among them.
import { describe, expect, it } from 'vitest';
import { folderOf, walkFolders } from '../../src/element/folder-walk.js';
import { isLitter } from '../../src/element/litter.js';
import { dirEntry, type Calls, type Tree } from './fakes/file-entries.js';

/** 10,000 clips: 10 shoots × 4 cameras × 250 clips, plus litter files and folders everywhere. */
function library(): { tree: Tree; expected: string[] } {
  const tree: Tree = { '.DS_Store': 6, 'Thumbs.db': 7, '.Spotlight-V100': { 'store.db': 9 }, '$RECYCLE.BIN': { 'deleted.mp4': 9 } };
  const expected: string[] = [];
  for (let s = 0; s < 10; s++) {
    const shoot: Tree = { 'desktop.ini': 3, __MACOSX: { '._clip.mp4': 1 } };
    for (let c = 0; c < 4; c++) {
      const camera: Tree = { '.DS_Store': 2 };
      for (let k = 0; k < 250; k++) {
        camera[`clip-${k}.mp4`] = 10;
        camera[`._clip-${k}.mp4`] = 1; // AppleDouble twins: litter, as many as the clips
        expected.push(`library/shoot-${s}/cam-${c}/clip-${k}.mp4`);
      }
      shoot[`cam-${c}`] = camera;
    }
    tree[`shoot-${s}`] = shoot;
  }
  return { tree, expected };
}

describe('walkFolders', () => {
  it('finds 10,000 files in nested folders with their paths, skips litter, reads every folder to its empty batch, yields between batches', async () => {
    const { tree, expected } = library();
    const calls: Calls = { readEntries: new Map() };
    const root = dirEntry('library', tree, '/library', calls);
    let yields = 0;
    const progress: number[] = [];
    const found = await walkFolders([root], { yieldNow: async () => void yields++, onProgress: (n) => progress.push(n) });

    expect(found).toHaveLength(10_000);
    expect(found.map((p) => `${p.folder}/${p.file.name}`).sort()).toEqual(expected.sort());
    expect(found.every((p) => !isLitter(p.file.name, p.folder))).toBe(true);
    // A camera folder holds 501 entries: 6 batches of at most 100, then the empty answer that ends it.
    expect(calls.readEntries.get('/library/shoot-3/cam-2')).toBe(7);
    // Litter folders are never read.
    expect([...calls.readEntries.keys()].filter((path) => /Spotlight|RECYCLE|__MACOSX/.test(path))).toEqual([]);
    // The page gets a turn after every batch read (each non-empty readEntries answer).
    const batches = [...calls.readEntries.values()].reduce((sum, n) => sum + n - 1, 0);
    expect(yields).toBe(batches);
    expect(progress).toHaveLength(batches);
    expect(progress.at(-1)).toBe(10_000);
    expect(progress.every((n, i) => i === 0 || n >= progress[i - 1]!)).toBe(true);
  });

  it('stops when its signal is aborted: rejects with the reason and reads nothing more', async () => {
    const { tree } = library();
    const calls: Calls = { readEntries: new Map() };
    const stop = new AbortController();
    let batches = 0;
    const reads = (): number => [...calls.readEntries.values()].reduce((a, b) => a + b, 0);
    let readsAtAbort = -1;
    const walk = walkFolders([dirEntry('library', tree, '/library', calls)], {
      signal: stop.signal,
      yieldNow: async () => {
        if (++batches === 3) {
          stop.abort(new DOMException('stopped', 'AbortError'));
          readsAtAbort = reads();
        }
      },
    });
    await expect(walk).rejects.toMatchObject({ name: 'AbortError' });
    expect(readsAtAbort).toBeGreaterThan(0);
    expect(reads()).toBe(readsAtAbort);
  });

  it('a dropped litter folder is skipped whole', async () => {
    const calls: Calls = { readEntries: new Map() };
    const found = await walkFolders([dirEntry('__MACOSX', { 'a.mp4': 1 }, '/__MACOSX', calls)], { yieldNow: async () => {} });
    expect(found).toEqual([]);
    expect(calls.readEntries.size).toBe(0);
  });
});

describe('folderOf and isLitter', () => {
  it('takes the folder of a relative path', () => {
    expect(folderOf('trip/day 1/a.mp4')).toBe('trip/day 1');
    expect(folderOf('a.mp4')).toBe('');
    expect(folderOf('')).toBe('');
  });
  it('knows the litter of macOS and Windows, by name and by folder, in any case', () => {
    for (const name of ['.DS_Store', 'thumbs.db', 'Thumbs.db', 'desktop.ini', '._clip.mp4', 'Icon\r']) expect(isLitter(name), name).toBe(true);
    expect(isLitter('clip.mp4', 'trip/$RECYCLE.BIN')).toBe(true);
    expect(isLitter('clip.mp4', 'trip/.Trashes/x')).toBe(true);
    for (const name of ['clip.mp4', '.hidden-but-mine.mp4', 'DS_Store.mp4']) expect(isLitter(name, 'trip'), name).toBe(false);
  });
});
