// A restart keeps what it must: the generated keys (signatures stay valid), unfinished sessions with
// the slices received, and finished files (GET and instant upload).
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { randomFile, sha1, tempDir, TestServer } from './helpers.js';

it('resumes a session after a restart on the same data dir', async () => {
  const dataDir = tempDir();
  const file = randomFile(3500);
  const a = await TestServer.start({ dataDir, sliceSize: 1000 });
  const signature = await a.sign({ expiresInSeconds: 600 });
  const created = await a.create('r/a.mp4', { filesize: file.length, sha: sha1(file) }, signature);
  const session = String(created.data.session);
  await Promise.all([0, 2000, 3000].map((o) => a.slice('r/a.mp4', session, o, file.subarray(o, o + 1000), signature)));
  const finished = randomFile(1500);
  const done = await a.upload('r/finished.mp4', finished);
  const keys = a.config;
  await a.close(false);

  const b = await TestServer.start({ dataDir, sliceSize: 1000 });
  try {
    expect(b.config.secretKey).toBe(keys.secretKey);
    expect(b.config.secretId).toBe(keys.secretId);
    const resumed = await b.create('r/a.mp4', { filesize: file.length, sha: sha1(file), session }, signature);
    expect(resumed).toMatchObject({ code: 0, data: { session, offset: 1000, slice_size: 1000 } });
    const last = await b.slice('r/a.mp4', session, 1000, file.subarray(1000, 2000), signature);
    expect(last.data.resource_path).toBe('/r/a.mp4');
    const got = Buffer.from(await (await fetch(String(last.data.access_url))).arrayBuffer());
    expect(sha1(got)).toBe(sha1(file));
    // The file finished before the restart is still served, and still counts for instant uploads.
    const path = String(done.data.access_url).replace(/^http:\/\/[^/]+/, b.server.url);
    expect((await fetch(path)).status).toBe(200);
    const instant = await b.create('r/finished.mp4', { filesize: 1500, sha: sha1(finished) });
    expect(instant).toMatchObject({ code: 0, data: { resource_path: '/r/finished.mp4' } });
    expect(instant.data.session).toBeUndefined();
    // Session metadata is written atomically: no temp files left behind, the part file is gone.
    expect(readdirSync(join(dataDir, 'sessions')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(join(dataDir, 'sessions', `${session}.part`))).toBe(false);
  } finally {
    await b.close();
  }
});

it('runs the sha check on resume when every slice arrived but the server stopped before checking', async () => {
  const dataDir = tempDir();
  const file = randomFile(2500);
  const a = await TestServer.start({ dataDir, sliceSize: 1000 });
  const created = await a.create('r/crash.mp4', { filesize: file.length, sha: sha1(file) });
  const session = String(created.data.session);
  await a.slice('r/crash.mp4', session, 0, file.subarray(0, 1000));
  await a.slice('r/crash.mp4', session, 1000, file.subarray(1000, 2000));
  await a.close(false);
  // What a crash right after the last slice's write and save would leave: all bytes, all marked.
  const metaFile = join(dataDir, 'sessions', `${session}.json`);
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as { received: Array<[number, number]> };
  meta.received = [[0, 3]];
  writeFileSync(metaFile, JSON.stringify(meta));
  const part = openSync(join(dataDir, 'sessions', `${session}.part`), 'r+');
  writeSync(part, file.subarray(2000), 0, 500, 2000);
  closeSync(part);

  const b = await TestServer.start({ dataDir, sliceSize: 1000 });
  try {
    const resumed = await b.create('r/crash.mp4', { filesize: file.length, sha: sha1(file), session });
    expect(resumed).toMatchObject({ code: 0, data: { resource_path: '/r/crash.mp4' } });
    const got = Buffer.from(await (await fetch(String(resumed.data.access_url))).arrayBuffer());
    expect(sha1(got)).toBe(sha1(file));
  } finally {
    await b.close();
  }
});

it('keeps long names (no file-system limit applies): open and finished, across a restart', async () => {
  const dataDir = tempDir();
  // 90 Chinese characters + '.mp4' (274 UTF-8 bytes), and a folder of 3 KB: neither is a file name on disk.
  const name = `${'视频'.repeat(45)}.mp4`;
  const dir = '长'.repeat(1000);
  const enc = (p: string): string => p.split('/').map(encodeURIComponent).join('/');
  const open = randomFile(2500);
  const finished = randomFile(1500);
  const a = await TestServer.start({ dataDir, sliceSize: 1000 });
  const created = await a.create(enc(`${dir}/${name}`), { filesize: open.length, sha: sha1(open) });
  expect(created.code).toBe(0);
  const session = String(created.data.session);
  await a.slice(enc(`${dir}/${name}`), session, 0, open.subarray(0, 1000));
  const done = await a.upload(enc(name), finished);
  expect(done.data.resource_path).toBe(`/${name}`);
  await a.close(false);

  const b = await TestServer.start({ dataDir, sliceSize: 1000 });
  try {
    const resumed = await b.create(enc(`${dir}/${name}`), { filesize: open.length, sha: sha1(open), session });
    expect(resumed).toMatchObject({ code: 0, data: { session, offset: 1000 } });
    await b.slice(enc(`${dir}/${name}`), session, 1000, open.subarray(1000, 2000));
    const last = await b.slice(enc(`${dir}/${name}`), session, 2000, open.subarray(2000));
    expect(last.data.resource_path).toBe(`/${dir}/${name}`);
    expect(sha1(Buffer.from(await (await fetch(String(last.data.access_url))).arrayBuffer()))).toBe(sha1(open));
    const before = String(done.data.access_url).replace(/^http:\/\/[^/]+/, b.server.url);
    expect(sha1(Buffer.from(await (await fetch(before)).arrayBuffer()))).toBe(sha1(finished));
  } finally {
    await b.close();
  }
});
