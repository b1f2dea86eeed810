// The first request: new session, resume (by session and by path + sha), instant upload (same path
// and elsewhere), -4018, -94, 0-byte files, sizes over 4 GiB, bad fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomFile, sha1, TestServer } from './helpers.js';

// Odd and not a power of two, as real servers may choose; small enough to keep the suite fast.
const SLICE = 262_147;
let s: TestServer;
beforeAll(async () => {
  s = await TestServer.start({ sliceSize: SLICE });
});
afterAll(() => s.close());

describe('first request', () => {
  it('opens a session at offset 0 with the server slice size', async () => {
    const file = randomFile(SLICE * 2 + 5);
    const r = await s.create('new/one.mp4', { filesize: file.length, sha: sha1(file) });
    expect(r).toMatchObject({ status: 200, code: 0, message: 'SUCCESS', data: { offset: 0, slice_size: SLICE } });
    expect(String(r.data.session)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('resumes with the session at the first byte not received, and without it by path + sha', async () => {
    const file = randomFile(SLICE * 3 + 10);
    const sha = sha1(file);
    const r = await s.create('resume/a.mp4', { filesize: file.length, sha });
    const session = String(r.data.session);
    expect((await s.slice('resume/a.mp4', session, 0, file.subarray(0, SLICE))).code).toBe(0);
    expect((await s.slice('resume/a.mp4', session, SLICE * 2, file.subarray(SLICE * 2, SLICE * 3))).code).toBe(0);
    const again = await s.create('resume/a.mp4', { filesize: file.length, sha, session });
    expect(again.data).toEqual({ session, offset: SLICE, slice_size: SLICE });
    const noSession = await s.create('resume/a.mp4', { filesize: file.length, sha });
    expect(noSession.data).toEqual({ session, offset: SLICE, slice_size: SLICE });
  });

  it('answers -94 for an unknown session or one of another path', async () => {
    const file = randomFile(1000);
    const unknown = await s.create('x/y.mp4', { filesize: 1000, sha: sha1(file), session: 'no-such-session' });
    expect(unknown).toMatchObject({ code: -94, message: expect.stringMatching(/^ERROR_SESSION_NOT_FOUND/) });
    const other = await s.create('x/other.mp4', { filesize: 1000, sha: sha1(file) });
    const wrongPath = await s.create('x/y.mp4', { filesize: 1000, sha: sha1(file), session: String(other.data.session) });
    expect(wrongPath.code).toBe(-94);
  });

  it('answers an instant upload for a finished file at the same path, and -4018 for another file there', async () => {
    const file = randomFile(SLICE + 100);
    const done = await s.upload('inst/v.mp4', file);
    expect(done.data).toMatchObject({ resource_path: '/inst/v.mp4', access_url: `${s.server.url}/files/v1/1000001/videos/inst/v.mp4` });
    expect(done.data.url).toBe(done.data.access_url);
    const again = await s.create('inst/v.mp4', { filesize: file.length, sha: sha1(file) });
    const { access_url, url, resource_path } = done.data;
    expect(again.data).toEqual({ access_url, url, resource_path });
    expect(again.data.session).toBeUndefined();
    const other = randomFile(50);
    const clash = await s.create('inst/v.mp4', { filesize: 50, sha: sha1(other) });
    expect(clash).toMatchObject({ code: -4018, message: expect.stringMatching(/^ERROR_FILE_EXISTS/) });
  });

  it('answers an instant upload at any other path holding the same sha, and serves the bytes there', async () => {
    const file = randomFile(SLICE * 2);
    await s.upload('orig/src.mp4', file);
    const before = s.server.stats.total.bytesReceived;
    const copy = await s.create('copies/dir/copy of src.mp4', { filesize: file.length, sha: sha1(file) });
    expect(copy).toMatchObject({ code: 0, data: { resource_path: '/copies/dir/copy of src.mp4' } });
    expect(String(copy.data.access_url)).toMatch(/\/copies\/dir\/copy%20of%20src\.mp4$/);
    expect(s.server.stats.total.bytesReceived).toBe(before);
    const got = Buffer.from(await (await fetch(String(copy.data.access_url))).arrayBuffer());
    expect(sha1(got)).toBe(sha1(file));
    expect(s.server.stats.completedFiles.at(-1)).toMatchObject({ path: '/copies/dir/copy of src.mp4', instant: true });
  });

  it('completes a 0-byte file at once, and refuses a wrong sha for it with -4016', async () => {
    const empty = await s.create('empty.txt', { filesize: 0, sha: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' });
    expect(empty).toMatchObject({ code: 0, data: { resource_path: '/empty.txt' } });
    const res = await fetch(String(empty.data.access_url));
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    const wrong = await s.create('empty2.txt', { filesize: 0, sha: 'a'.repeat(40) });
    expect(wrong.code).toBe(-4016);
  });

  it('accepts a filesize over 4 GiB (int64) and hands out slices for it', async () => {
    const size = 5 * 1024 ** 3 + 12345;
    const r = await s.create('big/huge.mkv', { filesize: size, sha: 'b'.repeat(40) });
    expect(r).toMatchObject({ code: 0, data: { offset: 0, slice_size: SLICE } });
    const last = Math.floor(size / SLICE) * SLICE;
    const tooShort = await s.slice('big/huge.mkv', String(r.data.session), last, randomFile(10));
    expect(tooShort.code).toBe(-4011);
    expect(tooShort.message).toContain(String(size - last));
  });

  it('refuses missing or malformed fields with -1', async () => {
    expect((await s.create('bad.mp4', { filesize: -1, sha: 'c'.repeat(40) })).code).toBe(-1);
    expect((await s.create('bad.mp4', { filesize: 10, sha: 'xyz' })).code).toBe(-1);
    const form = new FormData();
    form.append('op', 'upload');
    form.append('filesize', '10');
    const r = await s.post(s.fileUrl('bad.mp4'), form, await s.sign());
    expect(r).toMatchObject({ code: -1, message: expect.stringMatching(/^ERROR_CMD_PARAM_INVALID: op/) });
  });

  it('accepts an uppercase sha and the metadata fields', async () => {
    const file = randomFile(300);
    const r = await s.create('meta.mp4', {
      filesize: 300,
      sha: sha1(file).toUpperCase(),
      extra: { video_title: '标题 title', video_desc: 'd', biz_attr: 'x', video_cover: 'https://e.x/c.jpg', magicContext: 'm' },
    });
    expect(r.code).toBe(0);
    const done = await s.slice('meta.mp4', String(r.data.session), 0, file);
    expect(done).toMatchObject({ code: 0, data: { resource_path: '/meta.mp4' } });
  });
});
