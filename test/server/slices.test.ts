// Slices: parallel and out of order, idempotent duplicates (counted), wrong offset and length,
// -95, -94, sha mismatch (-4016, session reset), fields sent after the bytes, discard mode.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobOf, randomFile, sha1, TestServer } from './helpers.js';

// Odd and not a power of two, as real servers may choose; small enough to keep the suite fast.
const SLICE = 262_147;
let s: TestServer;
beforeAll(async () => {
  s = await TestServer.start({ sliceSize: SLICE });
});
afterAll(() => s.close());

async function open(path: string, file: Buffer): Promise<string> {
  const r = await s.create(path, { filesize: file.length, sha: sha1(file) });
  expect(r.code).toBe(0);
  return String(r.data.session);
}

async function download(url: unknown): Promise<Buffer> {
  return Buffer.from(await (await fetch(String(url))).arrayBuffer());
}

describe('slices', () => {
  it('assembles slices sent in parallel and in reverse order; each answer echoes session and offset', async () => {
    const file = randomFile(SLICE * 5 + 777);
    const session = await open('par/rev.mp4', file);
    const offsets = [5, 4, 3, 2, 1, 0].map((i) => i * SLICE);
    const answers = await Promise.all(offsets.map((o) => s.slice('par/rev.mp4', session, o, file.subarray(o, o + SLICE))));
    answers.forEach((a, i) => expect(a.data).toMatchObject({ session, offset: offsets[i] }));
    const done = answers.filter((a) => a.data.access_url);
    expect(done).toHaveLength(1);
    expect(sha1(await download(done[0]?.data.access_url))).toBe(sha1(file));
    expect(s.server.stats.paths['/par/rev.mp4']).toMatchObject({ sliceRequests: 6, bytesReceived: file.length, bytesDuplicate: 0, completed: 1 });
  });

  it('accepts duplicate slices idempotently and counts their bytes as duplicate', async () => {
    const file = randomFile(SLICE * 2 + 10);
    const session = await open('dup/a.mp4', file);
    const first = file.subarray(0, SLICE);
    const twice = await Promise.all([s.slice('dup/a.mp4', session, 0, first), s.slice('dup/a.mp4', session, 0, first)]);
    expect(twice.map((a) => a.code)).toEqual([0, 0]);
    await s.slice('dup/a.mp4', session, 0, first);
    expect((await s.slice('dup/a.mp4', session, SLICE, file.subarray(SLICE, 2 * SLICE))).code).toBe(0);
    const last = await s.slice('dup/a.mp4', session, 2 * SLICE, file.subarray(2 * SLICE));
    expect(last.data.access_url).toBeDefined();
    // A slice re-sent after completion (its answer was lost) gets the result again.
    const late = await s.slice('dup/a.mp4', session, SLICE, file.subarray(SLICE, 2 * SLICE));
    expect(late.data).toMatchObject({ session, offset: SLICE, access_url: last.data.access_url });
    const stats = s.server.stats.paths['/dup/a.mp4'];
    // Received counts every accepted payload; received - duplicate is what was new.
    expect(stats?.bytesDuplicate).toBe(2 * SLICE + SLICE);
    expect(stats?.bytesReceived).toBe(file.length + 3 * SLICE);
    expect(sha1(await download(last.data.access_url))).toBe(sha1(file));
  });

  it('refuses an offset that is not a multiple of slice_size or is past the end (-4010)', async () => {
    const file = randomFile(SLICE * 2);
    const session = await open('off/a.mp4', file);
    const odd = await s.slice('off/a.mp4', session, 1000, file.subarray(1000, 1000 + SLICE));
    expect(odd).toMatchObject({ code: -4010, message: expect.stringMatching(/^ERROR_SLICE_OFFSET_INVALID/) });
    expect((await s.slice('off/a.mp4', session, 2 * SLICE, randomFile(10))).code).toBe(-4010);
    const form = new FormData();
    form.append('op', 'upload_slice');
    form.append('session', session);
    form.append('offset', 'abc');
    form.append('filecontent', blobOf(file.subarray(0, SLICE)));
    expect((await s.post(s.fileUrl('off/a.mp4'), form, await s.sign())).code).toBe(-4010);
  });

  it('refuses a slice of the wrong length (-4011) and does not count it as received', async () => {
    const file = randomFile(SLICE * 2 + 100);
    const session = await open('len/a.mp4', file);
    expect((await s.slice('len/a.mp4', session, 0, file.subarray(0, SLICE - 1))).code).toBe(-4011);
    expect((await s.slice('len/a.mp4', session, 0, file.subarray(0, SLICE + 1))).code).toBe(-4011);
    expect((await s.slice('len/a.mp4', session, 2 * SLICE, file.subarray(2 * SLICE, 2 * SLICE + 99))).code).toBe(-4011);
    const resumed = await s.create('len/a.mp4', { filesize: file.length, sha: sha1(file), session });
    expect(resumed.data.offset).toBe(0);
    expect(s.server.stats.paths['/len/a.mp4']?.bytesReceived).toBe(0);
  });

  it('-95 for a slice without a session, -94 for an unknown one or after the server forgot it', async () => {
    const form = new FormData();
    form.append('op', 'upload_slice');
    form.append('offset', '0');
    form.append('filecontent', blobOf(randomFile(10)));
    const none = await s.post(s.fileUrl('sess/a.mp4'), form, await s.sign());
    expect(none).toMatchObject({ code: -95, message: expect.stringMatching(/^ERROR_SESSION_MISSING/) });
    expect((await s.slice('sess/a.mp4', 'nope', 0, randomFile(10))).code).toBe(-94);
    const file = randomFile(SLICE + 5);
    const session = await open('sess/b.mp4', file);
    expect((await s.slice('sess/other.mp4', session, 0, file.subarray(0, SLICE))).code).toBe(-94);
    await s.server.forgetSessions();
    expect((await s.slice('sess/b.mp4', session, 0, file.subarray(0, SLICE))).code).toBe(-94);
  });

  it('answers -4016 when the assembled file does not match the sha, and resets the session', async () => {
    const file = randomFile(SLICE * 2 + 3);
    const session = await open('sha/a.mp4', file);
    const bad = Buffer.from(file);
    bad[SLICE + 7] = (bad[SLICE + 7] ?? 0) ^ 0xff;
    await s.slice('sha/a.mp4', session, 0, bad.subarray(0, SLICE));
    await s.slice('sha/a.mp4', session, SLICE, bad.subarray(SLICE, 2 * SLICE));
    const last = await s.slice('sha/a.mp4', session, 2 * SLICE, bad.subarray(2 * SLICE));
    expect(last).toMatchObject({ code: -4016, message: expect.stringMatching(/^ERROR_SHA_MISMATCH/) });
    const again = await s.create('sha/a.mp4', { filesize: file.length, sha: sha1(file) });
    expect(again.data).toMatchObject({ session, offset: 0 });
    expect((await fetch(s.fileUrl('sha/a.mp4'))).status).toBe(404);
    const ok = await s.upload('sha/a.mp4', file, { parallel: 3 });
    expect(ok.data.access_url).toBeDefined();
    expect(s.server.stats.rejected['-4016']).toBe(1);
  });

  it('accepts a form whose filecontent comes before session and offset', async () => {
    const file = randomFile(1234);
    const session = await open('order/a.bin', file);
    const form = new FormData();
    form.append('filecontent', blobOf(file));
    form.append('op', 'upload_slice');
    form.append('offset', '0');
    form.append('session', session);
    const r = await s.post(s.fileUrl('order/a.bin'), form, await s.sign());
    expect(r).toMatchObject({ code: 0, data: { resource_path: '/order/a.bin' } });
    expect(sha1(await download(r.data.access_url))).toBe(sha1(file));
  });

  it('refuses a body that is not multipart (-2)', async () => {
    const res = await fetch(s.fileUrl('mp/a.bin'), { method: 'POST', body: 'op=upload_slice', headers: { Authorization: await s.sign(), 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect((await res.json()) as object).toMatchObject({ code: -2 });
    const broken = await fetch(s.fileUrl('mp/a.bin'), {
      method: 'POST',
      body: '--xx\r\nContent-Disposition: form-data; name="op"\r\n\r\nupload_slice\r\n',
      headers: { Authorization: await s.sign(), 'Content-Type': 'multipart/form-data; boundary=xx' },
    });
    expect((await broken.json()) as object).toMatchObject({ code: -2, message: expect.stringMatching(/closing boundary/) });
  });
});

describe('one writer per slice', () => {
  it('a copy of a slice waits while another request is still writing it, then goes on when that one dies', async () => {
    const file = randomFile(SLICE + 100);
    const session = await open('writer/a.bin', file);
    const boundary = 'stalled-boundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="op"\r\n\r\nupload_slice\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="session"\r\n\r\n${session}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="offset"\r\n\r\n0\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="filecontent"; filename="blob"\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const { hostname, port } = new URL(s.server.url);
    const stalled = httpRequest({
      hostname,
      port,
      method: 'POST',
      path: new URL(s.fileUrl('writer/a.bin')).pathname,
      headers: {
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': head.length + SLICE + tail.length,
        Authorization: await s.sign(),
      },
    });
    stalled.on('error', () => undefined);
    // Other bytes than the file's, and only half of them: this writer never finishes on its own.
    stalled.write(Buffer.concat([head, randomFile(SLICE / 2 + 0.5)]));
    await new Promise((r) => setTimeout(r, 200));
    let settled = false;
    const copy = s.slice('writer/a.bin', session, 0, file.subarray(0, SLICE)).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 400));
    expect(settled).toBe(false);
    stalled.destroy();
    expect((await copy).code).toBe(0);
    const last = await s.slice('writer/a.bin', session, SLICE, file.subarray(SLICE));
    expect(last.data.access_url).toBeDefined();
    expect(sha1(await download(last.data.access_url))).toBe(sha1(file));
  });
});

describe('many concurrent slices', () => {
  it('stays consistent when every slice is sent twice at once, in random order', async () => {
    const t = await TestServer.start({ sliceSize: 1000 });
    try {
      const file = randomFile(40_500);
      const created = await t.create('stress/a.bin', { filesize: file.length, sha: sha1(file) });
      const session = String(created.data.session);
      const offsets = Array.from({ length: 41 }, (_, i) => i * 1000).flatMap((o) => [o, o]);
      offsets.sort(() => Math.random() - 0.5);
      const answers = await Promise.all(offsets.map((o) => t.slice('stress/a.bin', session, o, file.subarray(o, o + 1000))));
      expect(answers.every((a) => a.code === 0)).toBe(true);
      expect(answers.filter((a) => a.data.access_url).length).toBeGreaterThanOrEqual(1);
      const stats = t.server.stats.paths['/stress/a.bin'];
      expect(stats).toMatchObject({ completed: 1, bytesDuplicate: file.length, bytesReceived: 2 * file.length });
      const got = Buffer.from(await (await fetch(t.fileUrl('stress/a.bin'))).arrayBuffer());
      expect(sha1(got)).toBe(sha1(file));
    } finally {
      await t.close();
    }
  });
});

describe('discard mode', () => {
  it('stores nothing but still checks the sha over out-of-order slices', async () => {
    const d = await TestServer.start({ sliceSize: 1000, discard: true });
    try {
      const file = randomFile(4500);
      const ok = await d.upload('d/a.bin', file, { order: [4, 2, 0, 3, 1] });
      expect(ok).toMatchObject({ code: 0, data: { resource_path: '/d/a.bin' } });
      expect(d.server.stats.total.bytesReceived).toBe(4500);
      expect((await fetch(String(ok.data.access_url))).status).toBe(404);
      const bad = Buffer.from(randomFile(2500));
      const created = await d.create('d/b.bin', { filesize: 2500, sha: sha1(bad) });
      const session = String(created.data.session);
      bad[0] = (bad[0] ?? 0) ^ 1;
      await d.slice('d/b.bin', session, 2000, bad.subarray(2000));
      await d.slice('d/b.bin', session, 1000, bad.subarray(1000, 2000));
      expect((await d.slice('d/b.bin', session, 0, bad.subarray(0, 1000))).code).toBe(-4016);
      const instant = await d.create('d/copy.bin', { filesize: 4500, sha: sha1(file) });
      expect(instant.data.resource_path).toBe('/d/copy.bin');
    } finally {
      await d.close();
    }
  });
});
