// The file URL: percent-encoding per PROTOCOL.md and the names refused before upload.
import { describe, expect, it } from 'vitest';
import { UploadError } from '../../src/engine/errors.js';
import { buildFileUrl } from '../../src/protocol/url.js';

const endpoint = 'https://web.video.myqcloud.com/files/v1';
const target = (dir: string) => ({ appid: '200001', bucket: 'newbucket', dir });

function refusal(fn: () => unknown): UploadError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UploadError);
    return error as UploadError;
  }
  throw new Error('expected a validation error, got none');
}

describe('buildFileUrl', () => {
  it('joins endpoint, appid, bucket, a multi-segment dir and the name with single slashes', () => {
    expect(buildFileUrl(endpoint, target('videos/2026/nov'), 'clip.mp4')).toBe(
      `${endpoint}/200001/newbucket/videos/2026/nov/clip.mp4`,
    );
  });

  it('leaves out an empty dir, and strips slashes around the dir and after the endpoint', () => {
    expect(buildFileUrl(endpoint, target(''), 'a.mp4')).toBe(`${endpoint}/200001/newbucket/a.mp4`);
    expect(buildFileUrl(`${endpoint}///`, target('/x/y/'), 'a.mp4')).toBe(`${endpoint}/200001/newbucket/x/y/a.mp4`);
    expect(buildFileUrl(endpoint, target('/'), 'a.mp4')).toBe(`${endpoint}/200001/newbucket/a.mp4`);
  });

  it('keeps a same-origin endpoint absolute', () => {
    expect(buildFileUrl('/files/v1/', target(''), 'a.mp4')).toBe('/files/v1/200001/newbucket/a.mp4');
  });

  it('encodes spaces as %20 and the UTF-8 bytes of non-ASCII characters', () => {
    expect(buildFileUrl(endpoint, target('我的 视频'), '假期 1.mp4')).toBe(
      `${endpoint}/200001/newbucket/%E6%88%91%E7%9A%84%20%E8%A7%86%E9%A2%91/%E5%81%87%E6%9C%9F%201.mp4`,
    );
    // An astral character (4 UTF-8 bytes) and a combining accent stay byte-exact.
    expect(buildFileUrl(endpoint, target(''), '🎬e\u0301.mov')).toBe(`${endpoint}/200001/newbucket/%F0%9F%8E%ACe%CC%81.mov`);
  });

  it('encodes every reserved character, including the ones encodeURIComponent leaves alone', () => {
    expect(buildFileUrl(endpoint, target("a#b?c"), "x%y&z+w!'()*=;:@,$.mp4")).toBe(
      `${endpoint}/200001/newbucket/a%23b%3Fc/x%25y%26z%2Bw%21%27%28%29%2A%3D%3B%3A%40%2C%24.mp4`,
    );
  });

  it('leaves RFC 3986 unreserved characters as they are', () => {
    expect(buildFileUrl(endpoint, target('A-Z_a.z~0'), 'Az09-_.~.mp4')).toBe(
      `${endpoint}/200001/newbucket/A-Z_a.z~0/Az09-_.~.mp4`,
    );
  });

  it('allows names that start with a dot', () => {
    expect(buildFileUrl(endpoint, target('.cache'), '.hidden.mp4')).toBe(`${endpoint}/200001/newbucket/.cache/.hidden.mp4`);
    expect(buildFileUrl(endpoint, target(''), '...')).toBe(`${endpoint}/200001/newbucket/...`);
  });

  it.each(['.', '..'])('refuses the name %j', (name) => {
    const error = refusal(() => buildFileUrl(endpoint, target(''), name));
    expect(error).toMatchObject({ kind: 'validation', action: 'fatal', code: 'invalid-name', retryable: false });
  });

  it.each(['a/../b', '..', './a', 'a/.', 'a//b'])('refuses the dir %j', (dir) => {
    const error = refusal(() => buildFileUrl(endpoint, target(dir), 'x.mp4'));
    expect(error).toMatchObject({ kind: 'validation', action: 'fatal', code: 'invalid-dir' });
  });

  it.each(['a/b.mp4', 'a\\b.mp4', ''])('refuses the name %j (slash, backslash, empty)', (name) => {
    expect(refusal(() => buildFileUrl(endpoint, target(''), name)).code).toBe('invalid-name');
  });

  it.each(['a\u0000.mp4', 'line\nbreak.mp4', 'tab\t.mp4', 'del\u007f.mp4', 'cr\r.mp4'])(
    'refuses the control character in name %j, and in a dir',
    (bad) => {
      const byName = refusal(() => buildFileUrl(endpoint, target(''), bad));
      expect(byName.code).toBe('invalid-name');
      expect(byName.message).toMatch(/control character/);
      expect(refusal(() => buildFileUrl(endpoint, target(`ok/${bad}`), 'x.mp4')).code).toBe('invalid-dir');
    },
  );

  it('refuses a lone surrogate, which has no UTF-8 form', () => {
    expect(refusal(() => buildFileUrl(endpoint, target(''), 'a\ud800.mp4')).code).toBe('invalid-name');
  });

  it('sends long names: no byte limit of its own (the server answers for its own limits)', () => {
    // 90 Chinese characters (270 bytes in UTF-8) + '.mp4': valid on Windows and macOS, which count characters.
    const chinese = `${'视频'.repeat(45)}.mp4`;
    expect(new TextEncoder().encode(chinese).length).toBe(274);
    const url = buildFileUrl(endpoint, target('剧集'), chinese);
    expect(decodeURIComponent(url.slice(url.lastIndexOf('/') + 1))).toBe(chinese);
    const long = `${'a'.repeat(4000)}.mp4`;
    expect(buildFileUrl(endpoint, target(''), long)).toBe(`${endpoint}/200001/newbucket/${long}`);
  });

  it.each([
    ['appid', { appid: '', bucket: 'b', dir: '' }],
    ['appid', { appid: '1/2', bucket: 'b', dir: '' }],
    ['bucket', { appid: '1', bucket: '', dir: '' }],
    ['bucket', { appid: '1', bucket: 'b/c', dir: '' }],
  ])('refuses an invalid %s', (label, t) => {
    const error = refusal(() => buildFileUrl(endpoint, t, 'x.mp4'));
    expect(error).toMatchObject({ kind: 'validation', code: `invalid-${label}`, action: 'fatal' });
  });

  it('produces a URL that a URL parser reads back to the same segments', () => {
    const url = new URL(buildFileUrl(endpoint, target('dir one/ü'), 'a #?%&+.mp4'));
    expect(url.search).toBe('');
    expect(url.hash).toBe('');
    expect(url.pathname.split('/').slice(5).map(decodeURIComponent)).toEqual(['dir one', 'ü', 'a #?%&+.mp4']);
  });
});
