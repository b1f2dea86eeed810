// The element's pre-upload checks (src/element/validation.ts): what is refused, why, and in which words.
import { describe, expect, it } from 'vitest';
import { dragVerdict } from '../../src/element/drop.js';
import { formatBytes, loadStrings, stringsFor } from '../../src/element/i18n.js';
import { inFolder, sameFileKey } from '../../src/engine/fingerprint.js';
import {
  matchesAccept,
  rejectionMessage,
  summarizeRejections,
  validateFiles,
  type Rejection,
  type ValidationRules,
} from '../../src/element/validation.js';

function file(name: string, size: number, type = 'video/mp4', lastModified = 1_700_000_000_000): File {
  return new File([new Uint8Array(size)], name, { type, lastModified });
}

// A stand-in for the protocol's name check: control characters and dot segments are refused.
const nameProblem = (name: string): string | undefined =>
  /[\u0000-\u001f\u007f/]/.test(name) || name === '.' || name === '..' || name === '' ? 'bad name' : undefined;

const TARGET = { appid: '1', bucket: 'b', dir: 'd' };
const sameFile = (f: File): string => sameFileKey(TARGET, f.name, f.size);

function rules(over: Partial<ValidationRules> = {}): ValidationRules {
  return { accept: 'video/*', maxSize: 0, maxFiles: 0, existingCount: 0, known: new Set(), sameFile, nameProblem, ...over };
}

describe('matchesAccept', () => {
  it('accepts MIME wildcards, exact types and extensions, case-insensitively', () => {
    expect(matchesAccept({ name: 'a.mp4', type: 'video/mp4' }, 'video/*')).toBe(true);
    expect(matchesAccept({ name: 'a.png', type: 'image/png' }, 'video/*')).toBe(false);
    expect(matchesAccept({ name: 'a.mov', type: 'video/quicktime' }, 'video/mp4, video/quicktime')).toBe(true);
    expect(matchesAccept({ name: 'CLIP.MP4', type: 'video/mp4' }, '.mp4')).toBe(true);
    expect(matchesAccept({ name: 'clip.mp4', type: 'VIDEO/MP4' }, 'Video/*')).toBe(true);
    expect(matchesAccept({ name: 'clip.webm', type: 'video/webm' }, '.mp4,.mov')).toBe(false);
  });

  it('matches files with an empty type by extension only', () => {
    expect(matchesAccept({ name: 'film.MKV', type: '' }, 'video/*,.mkv')).toBe(true);
    expect(matchesAccept({ name: 'film.mkv', type: '' }, 'video/*')).toBe(false);
  });

  it('accepts everything when accept is empty or */*', () => {
    expect(matchesAccept({ name: 'notes.txt', type: 'text/plain' }, '')).toBe(true);
    expect(matchesAccept({ name: 'notes.txt', type: 'text/plain' }, '*/*')).toBe(true);
  });
});

describe('validateFiles', () => {
  it('keeps good files and names the reason for each refused one', () => {
    const good = file('good.mp4', 10);
    const big = file('big.mp4', 101);
    const empty = file('empty.mp4', 0);
    const image = file('photo.png', 10, 'image/png');
    const result = validateFiles([good, big, empty, image], rules({ maxSize: 100 }));
    expect(result.accepted).toEqual([good]);
    expect(result.rejected.map((r) => [r.file.name, r.reason])).toEqual([
      ['big.mp4', 'too-large'],
      ['empty.mp4', 'empty'],
      ['photo.png', 'wrong-type'],
    ]);
  });

  it('a file exactly at max-size passes; max-size 0 means no limit', () => {
    expect(validateFiles([file('a.mp4', 100)], rules({ maxSize: 100 })).accepted).toHaveLength(1);
    expect(validateFiles([file('a.mp4', 5000)], rules({ maxSize: 0 })).accepted).toHaveLength(1);
  });

  it('counts files already in the list against max-files', () => {
    const result = validateFiles([file('a.mp4', 1), file('b.mp4', 1), file('c.mp4', 1)], rules({ maxFiles: 3, existingCount: 1 }));
    expect(result.accepted.map((f) => f.name)).toEqual(['a.mp4', 'b.mp4']);
    expect(result.rejected).toEqual([{ file: expect.objectContaining({ name: 'c.mp4' }), reason: 'too-many' }]);
  });

  it('refuses a file that is already in the list, or twice in one batch', () => {
    const a = file('a.mp4', 5);
    const again = file('a.mp4', 5);
    const known = new Set([sameFile(file('old.mp4', 7))]);
    const result = validateFiles([a, again, file('old.mp4', 7)], rules({ known }));
    expect(result.accepted).toEqual([a]);
    expect(result.rejected.map((r) => r.reason)).toEqual(['duplicate', 'duplicate']);
  });

  it('same name and size with another modification time is the same file (the queue\'s rule); another size is not', () => {
    const result = validateFiles([file('a.mp4', 5, 'video/mp4', 1), file('a.mp4', 5, 'video/mp4', 2), file('a.mp4', 6)], rules());
    expect(result.accepted.map((f) => f.size)).toEqual([5, 6]);
    expect(result.rejected.map((r) => r.reason)).toEqual(['duplicate']);
  });

  it('refuses names the protocol check refuses', () => {
    const result = validateFiles([file('bad\u0001name.mp4', 5)], rules());
    expect(result.rejected[0]?.reason).toBe('invalid-name');
  });
});

describe('rejectionMessage', () => {
  it('says what is wrong with numbers a person reads, in English and Chinese', async () => {
    await loadStrings('zh-CN');
    const r = rules({ maxSize: 1024 * 1024 });
    const big = { file: file('big.mp4', 1536 * 1024), reason: 'too-large' as const };
    expect(rejectionMessage(big, r, stringsFor('en'), 'en')).toBe('“big.mp4” is 1.5 MB; the limit is 1 MB.');
    expect(rejectionMessage(big, r, stringsFor('zh-CN'), 'zh-CN')).toBe('“big.mp4”大小为 1.5 MB，超过上限 1 MB。');
    const many = { file: file('c.mp4', 1), reason: 'too-many' as const };
    expect(rejectionMessage(many, rules({ maxFiles: 2 }), stringsFor('en'), 'en')).toBe('“c.mp4” was not added: at most 2 files.');
    // The count picks the plural form (Intl.PluralRules): one file, not "1 files".
    expect(rejectionMessage(many, rules({ maxFiles: 1 }), stringsFor('en'), 'en')).toBe('“c.mp4” was not added: at most 1 file.');
    const type = { file: file('p.png', 1, 'image/png'), reason: 'wrong-type' as const };
    expect(rejectionMessage(type, r, stringsFor('en'), 'en')).toContain('video/*');
  });

  it('just over the limit, where both sizes round alike, gives exact byte counts', () => {
    const r = rules({ maxSize: 100_000 });
    const big = { file: file('big.mp4', 100_001), reason: 'too-large' as const };
    expect(rejectionMessage(big, r, stringsFor('en'), 'en')).toBe('“big.mp4” is 100,001 B; the limit is 100,000 B.');
  });

  it('uses i18n overrides', () => {
    const empty = { file: file('e.mp4', 0), reason: 'empty' as const };
    expect(rejectionMessage(empty, rules(), stringsFor('en', { rejectEmpty: 'Nothing in {name}' }), 'en')).toBe('Nothing in e.mp4');
  });
});

describe('dragVerdict (the drag highlight, where only MIME types are known)', () => {
  const items = (...types: string[]): DataTransferItemList =>
    types.map((type) => ({ kind: 'file', type })) as unknown as DataTransferItemList;

  it('says "reject" only when every dragged file has a known type that accept refuses', () => {
    expect(dragVerdict(items('image/png'), 'video/*')).toBe('reject');
    expect(dragVerdict(items('image/png', 'video/mp4'), 'video/*')).toBe('accept');
    expect(dragVerdict(items('video/quicktime'), 'video/*')).toBe('accept');
  });

  it('gives unknown types and extension rules the benefit of the doubt', () => {
    expect(dragVerdict(items(''), 'video/*')).toBe('accept');
    expect(dragVerdict(items('image/png'), 'video/*,.mkv')).toBe('accept');
  });
});

describe('language and sizes', () => {
  it('formats sizes in binary units with one decimal below 100', () => {
    expect(formatBytes(0, 'en')).toBe('0 B');
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
    expect(formatBytes(20 * 1024 ** 3, 'en')).toBe('20 GB');
    expect(formatBytes(150 * 1024 ** 2, 'en')).toBe('150 MB');
  });
});

describe('summarizeRejections', () => {
  const many = (reason: Rejection['reason'], n: number): Rejection[] => Array.from({ length: n }, (_, i) => ({ file: file(`${reason}-${i}.mp4`, 1), reason }));

  it('counts each reason, in the order a user acts on them, with the limits spelled out', () => {
    const s = stringsFor('en');
    const rejections = [...many('too-many', 2), ...many('too-large', 7), ...many('wrong-type', 30), ...many('duplicate', 1)];
    expect(summarizeRejections(rejections, { maxSize: 20 * 1024 ** 3, maxFiles: 100 }, s, 'en')).toBe(
      '40 files were not added: 30 not of an accepted type, 7 over 20 GB, 1 already in the list, and 2 over the limit of 100 files.',
    );
    expect(summarizeRejections(many('empty', 10_000), { maxSize: 0, maxFiles: 0 }, s, 'en')).toBe('10,000 files were not added: 10,000 empty.');
  });

  it('speaks the element language', async () => {
    await loadStrings('ja');
    expect(summarizeRejections([...many('wrong-type', 2), ...many('invalid-name', 1)], { maxSize: 0, maxFiles: 0 }, stringsFor('ja'), 'ja')).toBe(
      '3 個のファイルを追加しませんでした：2 個は対応していない形式、1 個はサーバーに保存できない名前。',
    );
  });
});

describe('validateFiles with folders', () => {
  it("checks each folder name with the server's name rule and counts files of two folders apart", () => {
    const folderSame = (f: File, folder?: string): string => sameFileKey(inFolder(TARGET, folder), f.name, f.size);
    const result = validateFiles(
      [
        { file: file('a.mp4', 5), folder: 'trip/day 1' },
        { file: file('a.mp4', 5), folder: 'trip/day 2' },
        { file: file('a.mp4', 5), folder: 'trip/bad\u0001' },
      ],
      rules({ sameFile: folderSame }),
    );
    expect(result.accepted).toHaveLength(2);
    expect(result.rejected).toMatchObject([{ reason: 'invalid-name', folder: 'trip/bad\u0001' }]);
  });
});
