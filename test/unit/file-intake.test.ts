// Picked files on their way into the list (src/element/file-intake.ts): a file chosen again while its
// row has errored replaces that row, within max-files and without multiple; any other repeat is a
// duplicate. The UploadController is a small stand-in that records what it is asked to do.
import { describe, expect, it } from 'vitest';
import type { UploadSnapshot } from '../../src/engine/types.js';
import type { UploadController } from '../../src/element/controller.js';
import { FileIntake, type IntakeSettings } from '../../src/element/file-intake.js';
import { stringsFor } from '../../src/element/i18n.js';

function file(name: string, size = 10, lastModified = 1_700_000_000_000): File {
  return new File([new Uint8Array(size)], name, { type: 'video/mp4', lastModified });
}

/** A list of rows (id → File and status) and the calls the intake makes. */
function setup(rows: Array<{ file: File; status: UploadSnapshot['status'] }>, settings: Partial<IntakeSettings> = {}) {
  const uploads = rows.map((r, i) => ({ id: `u${i}`, name: r.file.name, status: r.status }) as UploadSnapshot);
  const files = new Map(rows.map((r, i) => [`u${i}`, r.file]));
  const replaced: string[] = [];
  const added: File[] = [];
  const controller = {
    uploads,
    files,
    handles: new Map(),
    announcement: '',
    replace: (ids: readonly string[]) => void replaced.push(...ids),
    add: async (items: Array<{ file: File }>) => {
      added.push(...items.map((i) => i.file));
      return { added: items.map((i) => ({ id: `new-${i.file.name}`, name: i.file.name }) as UploadSnapshot), duplicates: [] };
    },
  } as unknown as UploadController;
  const notices: string[] = [];
  const rejects: string[] = [];
  const host = new EventTarget() as HTMLElement;
  host.addEventListener('vod-upload-reject', (e) => rejects.push((e as CustomEvent<{ reason: string }>).detail.reason));
  const intake = new FileIntake(host, {
    controller,
    settings: { accept: 'video/*', maxSize: 0, maxFiles: 0, multiple: true, ...settings },
    disabled: () => false,
    strings: () => stringsFor('en'),
    lang: () => 'en',
    nameProblem: () => undefined,
    notify: (text) => notices.push(text),
  });
  return { intake, replaced, added, notices, rejects };
}

describe('FileIntake', () => {
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
    expect(t.notices).toEqual(['“a.mp4” is already in the list.', '“b.mp4” is already in the list.']);
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
});
