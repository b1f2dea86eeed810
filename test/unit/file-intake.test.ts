// Picked files on their way into the list (src/element/file-intake.ts): a file chosen again while its
// row has errored replaces that row, within max-files and without multiple; any other repeat is a
// duplicate. The UploadController is a small stand-in that records what it is asked to do.
import { describe, expect, it } from 'vitest';
import type { UploadSnapshot } from '../../src/engine/types.js';
import type { UploadController } from '../../src/element/controller.js';
import { FileIntake, type IntakeSettings } from '../../src/element/file-intake.js';
import { stringsFor } from '../../src/element/i18n.js';
import { inFolder, sameFileKey } from '../../src/engine/fingerprint.js';
import { dirEntry } from './fakes/file-entries.js';
import type { VodUploadRejectBatchDetail, VodUploadRejectDetail } from '../../src/element/events.js';

const TARGET = { appid: '1', bucket: 'b', dir: 'd' };
const sameFile = (f: File, folder?: string): string => sameFileKey(inFolder(TARGET, folder), f.name, f.size);

function file(name: string, size = 10, lastModified = 1_700_000_000_000): File {
  return new File([new Uint8Array(size)], name, { type: 'video/mp4', lastModified });
}

/** A list of rows (id → File and status) and the calls the intake makes. */
function setup(rows: Array<{ file: File; status: UploadSnapshot['status'] }>, settings: Partial<IntakeSettings> = {}, keyOf = sameFile) {
  const uploads = rows.map((r, i) => ({ id: `u${i}`, name: r.file.name, status: r.status }) as UploadSnapshot);
  const files = new Map(rows.map((r, i) => [`u${i}`, r.file]));
  const replaced: string[] = [];
  const added: File[] = [];
  const addedItems: Array<{ file: File; folder?: string }> = [];
  const keyed = new Map<string, string>(rows.flatMap((r, i) => (r.status === 'cancelled' ? [] : [[`u${i}`, sameFile(r.file)] as const])));
  const controller = {
    uploads,
    current: () => uploads,
    files,
    // As the queue answers: the duplicate key of every row that is not cancelled.
    fileKeys: () => new Map(keyed),
    handles: new Map(),
    announcement: '',
    replace: (ids: readonly string[]) => void replaced.push(...ids),
    add: async (items: Array<{ file: File; folder?: string }>) => {
      added.push(...items.map((i) => i.file));
      addedItems.push(...items);
      // The queue's list holds them at once (the view's `uploads` would wait for a 'change').
      for (const i of items) {
        uploads.push({ id: `new-${i.file.name}`, name: i.file.name, status: 'queued' } as UploadSnapshot);
        keyed.set(`new-${i.file.name}`, sameFile(i.file, i.folder));
      }
      return { added: items.map((i) => ({ id: `new-${i.file.name}`, name: i.file.name }) as UploadSnapshot), duplicates: [] };
    },
  } as unknown as UploadController;
  const changes: Array<number | undefined> = [];
  const notices: string[] = [];
  const details: Array<readonly string[] | undefined> = [];
  const rejects: string[] = [];
  const host = new EventTarget() as HTMLElement;
  const rejectDetails: VodUploadRejectDetail[] = [];
  const batches: VodUploadRejectBatchDetail[] = [];
  host.addEventListener('vod-upload-reject', (e) => {
    rejects.push((e as CustomEvent<VodUploadRejectDetail>).detail.reason);
    rejectDetails.push((e as CustomEvent<VodUploadRejectDetail>).detail);
  });
  host.addEventListener('vod-upload-reject-batch', (e) => batches.push((e as CustomEvent<VodUploadRejectBatchDetail>).detail));
  const intake = new FileIntake(host, {
    controller,
    settings: { accept: 'video/*', maxSize: 0, maxFiles: 0, multiple: true, noFolderPaths: false, ...settings },
    disabled: () => false,
    strings: () => stringsFor('en'),
    lang: () => 'en',
    nameProblem: () => undefined,
    sameFile: keyOf,
    notify: (text, lines) => {
      notices.push(text);
      if (lines) details.push(lines);
    },
    changed: () => changes.push(intake.reading),
  });
  return { intake, changes, replaced, added, addedItems, notices, details, rejects, rejectDetails, batches };
}

/** Busy for `ms` of wall time, as a synchronous browser call is. */
function burn(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/** A chain of 0 ms timers, as the page's own timers: `now()` is how many have run (which page task this is). */
function pageTicks(): { now: () => number; stop: () => void } {
  let ticks = 0;
  let ticking = true;
  const tick = (): void => {
    ticks++;
    if (ticking) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  return { now: () => ticks, stop: () => void (ticking = false) };
}

/** `f` with its `name` (and `webkitRelativePath`) getters calling `onRead` first, as a browser File's own getters run its code. */
function watched(f: File, onRead: (what: 'name' | 'path') => void, path = ''): File {
  const name = f.name;
  Object.defineProperty(f, 'name', { get: () => (onRead('name'), name) });
  Object.defineProperty(f, 'webkitRelativePath', { get: () => (onRead('path'), path) });
  return f;
}

describe('FileIntake', () => {
  it('gives the page back during a big pick whose files are slow to look at (Chromium: the first look at a size)', async () => {
    const ticks = pageTicks();
    // Which page task each key's look ran in (the tick count then).
    const calls: number[] = [];
    const slowKey = (f: File, folder?: string): string => {
      burn(0.2);
      calls.push(ticks.now());
      return sameFile(f, folder);
    };
    const t = setup([], {}, slowKey);
    const picked = Array.from({ length: 600 }, (_, i) => ({ file: file(`clip-${i}.mp4`) }));
    const added = await t.intake.add(picked);
    ticks.stop();
    expect(added).toHaveLength(600);
    // 600 × 0.2 ms is 120 ms of work: no page task may hold more than a few 8 ms stretches of it.
    // Counted in looks per task, not in wall time, which a loaded machine stretches at random (a
    // look burns 0.2 ms of wall time, so a preempted task holds fewer looks, never more).
    const perTask = new Map<number, number>();
    for (const tick of calls) perTask.set(tick, (perTask.get(tick) ?? 0) + 1);
    expect(Math.max(...perTask.values())).toBeLessThanOrEqual(75);
    expect(perTask.size).toBeGreaterThan(3);
  });

  it('does nothing per file in the task that brought the pick (Chromium handles one message per chosen file right after change)', async () => {
    let reads = 0;
    const onRead = (): void => void reads++;
    const t = setup([]);
    // A timer set before the pick runs before any task the intake sets: by then it must not have looked at a file.
    const before = new Promise<number>((resolve) => setTimeout(() => resolve(reads), 0));
    const chosen = t.intake.addChosen(Array.from({ length: 50 }, (_, i) => watched(file(`a-${i}.mp4`), onRead, `shoot/a-${i}.mp4`)));
    expect(await before).toBe(0);
    expect(await chosen).toHaveLength(50);
    expect(t.addedItems[0]?.folder).toBe('shoot');
    const later = new Promise<number>((resolve) => setTimeout(() => resolve(reads), 0));
    const added = t.intake.add(Array.from({ length: 50 }, (_, i) => ({ file: watched(file(`b-${i}.mp4`), onRead) })));
    const readsBefore = reads;
    expect(await later).toBe(readsBefore);
    expect(await added).toHaveLength(50);
  });

  it('paces the litter check too: a pick of files slow to read the name of is looked at over many page tasks', async () => {
    const ticks = pageTicks();
    // The page task of each file's first name read (the litter check, the pick's first loop over it).
    const firstRead = new Map<File, number>();
    const slowName = (f: File): File =>
      watched(f, () => {
        if (firstRead.has(f)) return;
        burn(0.2);
        firstRead.set(f, ticks.now());
      });
    // A key that does not read the name: only the intake's own loops do.
    const t = setup([], {}, (f) => String(f.lastModified));
    const picked = Array.from({ length: 600 }, (_, i) => ({ file: slowName(file(`clip-${i}.mp4`, 10, 1_700_000_000_000 + i)) }));
    const added = await t.intake.add(picked);
    ticks.stop();
    expect(added).toHaveLength(600);
    expect(firstRead.size).toBe(600);
    // 600 × 0.2 ms is 120 ms of reads: in one page task without pacing.
    expect(new Set(firstRead.values()).size).toBeGreaterThan(3);
  });

  it('takes picks one after another: two at once count against max-files together', async () => {
    // Slow enough to look at that each pick gives the page back (and the other could run) in between.
    const t = setup([], { maxFiles: 3 }, (f, folder) => {
      burn(5);
      return sameFile(f, folder);
    });
    const [first, second] = await Promise.all([
      t.intake.add([{ file: file('a.mp4') }, { file: file('b.mp4') }]),
      t.intake.add([{ file: file('c.mp4') }, { file: file('d.mp4') }]),
    ]);
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(1);
    expect(t.rejects).toEqual(['too-many']);
  });

  it('a file chosen again while its row has errored replaces that row', async () => {
    const a = file('a.mp4');
    const t = setup([{ file: a, status: 'error' }]);
    const result = await t.intake.add([{ file: file('a.mp4') }]);
    expect(t.replaced).toEqual(['u0']);
    expect(t.added.map((f) => f.name)).toEqual(['a.mp4']);
    expect(result).toHaveLength(1);
    expect(t.rejects).toEqual([]);
  });

  it('the same file while its row is running or done is a duplicate, said in a notice', async () => {
    const t = setup([
      { file: file('a.mp4'), status: 'uploading' },
      { file: file('b.mp4'), status: 'done' },
    ]);
    await t.intake.add([{ file: file('a.mp4') }, { file: file('b.mp4') }]);
    expect(t.replaced).toEqual([]);
    expect(t.added).toEqual([]);
    expect(t.rejects).toEqual(['duplicate', 'duplicate']);
    // Refusals of one pick are one notice: the summary, each file's sentence behind it.
    expect(t.notices).toEqual(['2 files were not added: 2 already in the list.']);
    expect(t.details).toEqual([['“a.mp4” is already in the list.', '“b.mp4” is already in the list.']]);
  });

  it('the replaced row does not count against max-files, nor against a single-file element', async () => {
    for (const settings of [{ maxFiles: 1 }, { multiple: false }]) {
      const t = setup([{ file: file('a.mp4'), status: 'error' }], settings);
      await t.intake.add([{ file: file('a.mp4') }]);
      expect(t.rejects, JSON.stringify(settings)).toEqual([]);
      expect(t.replaced).toEqual(['u0']);
    }
  });

  it('an errored row of another file stays, and still counts', async () => {
    const t = setup([{ file: file('a.mp4'), status: 'error' }], { maxFiles: 1 });
    await t.intake.add([{ file: file('b.mp4') }]);
    expect(t.replaced).toEqual([]);
    expect(t.rejects).toEqual(['too-many']);
    expect(t.notices).toEqual(['“b.mp4” was not added: at most 1 file.']);
  });

  it('a folder: litter is dropped silently, each file keeps its folder, the same name in two folders is two files', async () => {
    const t = setup([]);
    await t.intake.add([
      { file: file('.DS_Store'), folder: 'trip' },
      { file: file('._a.mp4'), folder: 'trip/day 1' },
      { file: file('clip.mp4'), folder: 'trip/$RECYCLE.BIN' },
      { file: file('a.mp4'), folder: 'trip/day 1' },
      { file: file('a.mp4'), folder: 'trip/day 2' },
      { file: file('top.mp4') },
    ]);
    expect(t.addedItems).toEqual([
      { file: expect.objectContaining({ name: 'a.mp4' }), folder: 'trip/day 1' },
      { file: expect.objectContaining({ name: 'a.mp4' }), folder: 'trip/day 2' },
      { file: expect.objectContaining({ name: 'top.mp4' }) },
    ]);
    expect(t.notices).toEqual([]);
    expect(t.rejects).toEqual([]);
    expect(t.batches).toEqual([]);
  });

  it('no-folder-paths: a folder\'s files go to the folder itself, so the same name twice is a duplicate', async () => {
    const t = setup([], { noFolderPaths: true });
    await t.intake.add([
      { file: file('a.mp4'), folder: 'trip/day 1' },
      { file: file('a.mp4'), folder: 'trip/day 2' },
    ]);
    expect(t.addedItems).toEqual([{ file: expect.objectContaining({ name: 'a.mp4' }) }]);
    expect(t.rejects).toEqual(['duplicate']);
    expect(t.notices).toEqual(['“a.mp4” is already in the list.']);
  });

  it('the folder picker keeps each file\'s folder from webkitRelativePath', async () => {
    const t = setup([]);
    const inFolderFile = file('a.mp4');
    Object.defineProperty(inFolderFile, 'webkitRelativePath', { value: 'trip/day 1/a.mp4' });
    await t.intake.addChosen([inFolderFile, file('b.mp4')]);
    expect(t.addedItems.map((i) => i.folder)).toEqual(['trip/day 1', undefined]);
  });

  it('many refusals of one pick: one summary notice with each file behind it, one event per file and one for the batch', async () => {
    const t = setup([], { maxSize: 20 * 1024 ** 3 });
    const big = (name: string): File => {
      const f = file(name);
      Object.defineProperty(f, 'size', { value: 21 * 1024 ** 3 });
      return f;
    };
    const picked = [
      ...Array.from({ length: 30 }, (_, i) => ({ file: new File(['x'], `photo-${i}.jpg`, { type: 'image/jpeg' }), folder: 'trip' })),
      ...Array.from({ length: 7 }, (_, i) => ({ file: big(`huge-${i}.mp4`), folder: 'trip/raw' })),
      { file: file('fine.mp4'), folder: 'trip' },
    ];
    await t.intake.add(picked);
    expect(t.added.map((f) => f.name)).toEqual(['fine.mp4']);
    expect(t.notices).toEqual(['37 files were not added: 30 not of an accepted type and 7 over 20 GB.']);
    expect(t.details).toHaveLength(1);
    expect(t.details[0]).toHaveLength(37);
    expect(t.details[0]![0]).toBe('“trip/photo-0.jpg” is not an accepted type (video/*).');
    expect(t.details[0]![36]).toBe('“trip/raw/huge-6.mp4” is 21 GB; the limit is 20 GB.');
    expect(t.rejects).toHaveLength(37);
    expect(t.rejectDetails[36]).toMatchObject({ reason: 'too-large', folder: 'trip/raw', message: t.details[0]![36] });
    expect(t.batches).toHaveLength(1);
    expect(t.batches[0]!.message).toBe(t.notices[0]);
    expect(t.batches[0]!.rejections.map((r) => r.message)).toEqual(t.details[0]);
  });

  it('a dropped folder: "reading" counts the files found while the walk runs, then they are added with their folders', async () => {
    const t = setup([]);
    const tree = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`clip-${i}.mp4`, 10]));
    const drop = droppedFolder('trip', { ...tree, '.DS_Store': 1, 'day 2': { 'a.mp4': 10 } });
    const added = await t.intake.addDrop(drop);
    expect(added).toHaveLength(251);
    expect(t.addedItems.at(-1)).toMatchObject({ folder: 'trip/day 2' });
    // Shown from the start (0), growing with each batch, gone (undefined) at the end.
    expect(t.changes[0]).toBe(0);
    expect(t.changes).toContain(100);
    expect(t.changes.at(-1)).toBeUndefined();
    expect(t.intake.reading).toBeUndefined();
  });

  it('a folder walk stopped: nothing from it is added, a notice says so', async () => {
    const t = setup([]);
    const tree = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`clip-${i}.mp4`, 10]));
    const adding = t.intake.addDrop(droppedFolder('big', tree));
    expect(t.intake.reading).toBe(0);
    t.intake.stopReading();
    expect(await adding).toEqual([]);
    expect(t.added).toEqual([]);
    expect(t.notices).toEqual(['Reading the folder was stopped; nothing from it was added.']);
    expect(t.intake.reading).toBeUndefined();
  });

  it('a file of a dropped folder the browser will not read is left out and named in one notice; the rest is added', async () => {
    const t = setup([]);
    await t.intake.addDrop(droppedFolder('trip', { 'a.mp4': 10, 'gone.mp4': 'unreadable', day: { 'b.mp4': 10, 'lost.mp4': 'unreadable' } }));
    expect(t.added.map((f) => f.name)).toEqual(['a.mp4', 'b.mp4']);
    expect(t.notices).toEqual(['2 files or folders in the dropped folder could not be read; the rest was added.']);
    expect(t.details).toEqual([['trip/gone.mp4', 'trip/day/lost.mp4']]);
  });
});

/** A DataTransfer as a drop of one folder hands it over: one file item whose entry is a directory. */
function droppedFolder(name: string, tree: Parameters<typeof dirEntry>[1]): DataTransfer {
  const entry = dirEntry(name, tree, `/${name}`, { readEntries: new Map() });
  const item = { kind: 'file', type: '', webkitGetAsEntry: () => entry, getAsFile: () => null };
  return { items: [item], files: [] } as unknown as DataTransfer;
}
