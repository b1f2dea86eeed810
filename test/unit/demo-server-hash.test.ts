// The demo server's sha check (demo/server/session.ts, uploads.ts): a running SHA-1 over the longest
// received prefix, so that the slice completing a file is answered without reading the whole file
// back. `bytesReadBack` is what the check at completion read from disk: 0 when the running hash kept
// up, the file's size when it fell back to reading the part file (a session loaded after a restart).
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomFile, sha1, tempDir, TestServer } from '../server/helpers.js';

const SLICE = 1000;
let s: TestServer;
beforeAll(async () => {
  s = await TestServer.start({ sliceSize: SLICE });
});
afterAll(() => s.close());

async function open(t: TestServer, path: string, file: Buffer, sha = sha1(file)): Promise<string> {
  const created = await t.create(path, { filesize: file.length, sha });
  expect(created.code).toBe(0);
  return String(created.data.session);
}

const slice = (t: TestServer, path: string, session: string, file: Buffer, index: number) =>
  t.slice(path, session, index * SLICE, file.subarray(index * SLICE, (index + 1) * SLICE));

async function served(t: TestServer, path: string): Promise<string> {
  return sha1(Buffer.from(await (await fetch(t.fileUrl(path))).arrayBuffer()));
}

describe('the running sha of the received prefix', () => {
  it('hashes out-of-order slices as the prefix grows: nothing is read back at completion', async () => {
    const file = randomFile(7 * SLICE + 321);
    const session = await open(s, 'run/ooo.bin', file);
    // The prefix stays empty until slice 0 comes last but one; then 0..6 are hashed from the part file.
    for (const index of [3, 1, 6, 2, 5, 4, 0]) expect((await slice(s, 'run/ooo.bin', session, file, index)).code).toBe(0);
    const last = await slice(s, 'run/ooo.bin', session, file, 7);
    expect(last).toMatchObject({ code: 0, data: { resource_path: '/run/ooo.bin' } });
    expect(s.server.stats.paths['/run/ooo.bin']?.bytesReadBack).toBe(0);
    expect(await served(s, 'run/ooo.bin')).toBe(sha1(file));
  });

  it('hashes a slice once however often it is re-sent, also when copies race each other', async () => {
    const file = randomFile(12 * SLICE + 5);
    const session = await open(s, 'run/dup.bin', file);
    // Slices 0-2 in order, then 5 (out of order), then 5 and 1 again: received already, not hashed again.
    for (const index of [0, 1, 2, 5, 5, 1]) expect((await slice(s, 'run/dup.bin', session, file, index)).code).toBe(0);
    // The rest three times at once each, in a shuffled order, with copies of slices already hashed.
    const rest = [3, 4, 6, 7, 8, 9, 10, 11, 12].flatMap((i) => [i, i, i]).concat([0, 2, 5]);
    rest.sort(() => Math.random() - 0.5);
    const answers = await Promise.all(rest.map((index) => slice(s, 'run/dup.bin', session, file, index)));
    expect(answers.map((a) => a.code).filter((c) => c !== 0)).toEqual([]);
    expect(answers.some((a) => a.data.access_url !== undefined)).toBe(true);
    expect(s.server.stats.paths['/run/dup.bin']).toMatchObject({ completed: 1, bytesReadBack: 0 });
    expect(await served(s, 'run/dup.bin')).toBe(sha1(file));
  });

  it('a mismatch resets the session (-4016) and the hash starts over with the slices sent again', async () => {
    const file = randomFile(4 * SLICE + 17);
    const session = await open(s, 'run/bad.bin', file);
    const bad = Buffer.from(file);
    bad[2 * SLICE + 9] = (bad[2 * SLICE + 9] ?? 0) ^ 0xff;
    for (const index of [1, 0, 3, 2]) expect((await slice(s, 'run/bad.bin', session, bad, index)).code).toBe(0);
    expect(await slice(s, 'run/bad.bin', session, bad, 4)).toMatchObject({ code: -4016 });
    const again = await s.create('run/bad.bin', { filesize: file.length, sha: sha1(file) });
    expect(again.data).toMatchObject({ session, offset: 0 });
    // The good bytes, out of order: the new running hash covers them and only them.
    for (const index of [2, 0, 4, 3]) expect((await slice(s, 'run/bad.bin', session, file, index)).code).toBe(0);
    const last = await slice(s, 'run/bad.bin', session, file, 1);
    expect(last).toMatchObject({ code: 0, data: { resource_path: '/run/bad.bin' } });
    expect(s.server.stats.paths['/run/bad.bin']?.bytesReadBack).toBe(0);
    expect(await served(s, 'run/bad.bin')).toBe(sha1(file));
  });

  it('sees bytes that changed on disk before the prefix reached them (slices are read back, not kept)', async () => {
    const t = await TestServer.start({ sliceSize: SLICE });
    try {
      const file = randomFile(3 * SLICE);
      const session = await open(t, 'run/disk.bin', file);
      expect((await slice(t, 'run/disk.bin', session, file, 2)).code).toBe(0);
      // Slice 2 is received but not hashed yet (slice 0 is missing): spoil it in the part file.
      const part = openSync(join(t.dataDir, 'sessions', `${session}.part`), 'r+');
      writeSync(part, Buffer.from('spoilt'), 0, 6, 2 * SLICE + 10);
      closeSync(part);
      expect((await slice(t, 'run/disk.bin', session, file, 0)).code).toBe(0);
      expect(await slice(t, 'run/disk.bin', session, file, 1)).toMatchObject({ code: -4016 });
    } finally {
      await t.close();
    }
  });
});

describe('after a restart', () => {
  it('a session loaded from its meta file has no running hash: the check reads the file back', async () => {
    const dataDir = tempDir();
    const file = randomFile(5 * SLICE + 1);
    const a = await TestServer.start({ dataDir, sliceSize: SLICE });
    const session = await open(a, 'r/re.bin', file);
    for (const index of [0, 1, 3]) expect((await slice(a, 'r/re.bin', session, file, index)).code).toBe(0);
    await a.close(false);

    const b = await TestServer.start({ dataDir, sliceSize: SLICE });
    try {
      for (const index of [5, 2]) expect((await slice(b, 'r/re.bin', session, file, index)).code).toBe(0);
      const last = await slice(b, 'r/re.bin', session, file, 4);
      expect(last).toMatchObject({ code: 0, data: { resource_path: '/r/re.bin' } });
      expect(b.server.stats.paths['/r/re.bin']?.bytesReadBack).toBe(file.length);
      expect(await served(b, 'r/re.bin')).toBe(sha1(file));
    } finally {
      await b.close();
    }
  });

  it('a loaded session that fails the check starts a running hash with the reset', async () => {
    const dataDir = tempDir();
    const file = randomFile(3 * SLICE + 2);
    const bad = Buffer.from(file);
    bad[0] = (bad[0] ?? 0) ^ 1;
    const a = await TestServer.start({ dataDir, sliceSize: SLICE });
    const session = await open(a, 'r/bad.bin', file);
    expect((await slice(a, 'r/bad.bin', session, bad, 0)).code).toBe(0);
    await a.close(false);

    const b = await TestServer.start({ dataDir, sliceSize: SLICE });
    try {
      for (const index of [2, 1]) expect((await slice(b, 'r/bad.bin', session, bad, index)).code).toBe(0);
      expect(await slice(b, 'r/bad.bin', session, bad, 3)).toMatchObject({ code: -4016 });
      expect(b.server.stats.paths['/r/bad.bin']?.bytesReadBack).toBe(file.length);
      for (const index of [3, 1, 2]) expect((await slice(b, 'r/bad.bin', session, file, index)).code).toBe(0);
      expect(await slice(b, 'r/bad.bin', session, file, 0)).toMatchObject({ code: 0, data: { resource_path: '/r/bad.bin' } });
      expect(b.server.stats.paths['/r/bad.bin']?.bytesReadBack).toBe(file.length); // nothing more read back
      expect(await served(b, 'r/bad.bin')).toBe(sha1(file));
    } finally {
      await b.close();
    }
  });
});

describe('discard mode', () => {
  it('keeps the same rule in memory: out of order, duplicates, nothing read back', async () => {
    const d = await TestServer.start({ sliceSize: SLICE, discard: true });
    try {
      const file = randomFile(5 * SLICE + 3);
      const session = await open(d, 'd/a.bin', file);
      const order = [4, 2, 2, 0, 5, 3, 0];
      for (const index of order) expect((await slice(d, 'd/a.bin', session, file, index)).code).toBe(0);
      expect(await slice(d, 'd/a.bin', session, file, 1)).toMatchObject({ code: 0, data: { resource_path: '/d/a.bin' } });
      expect(d.server.stats.paths['/d/a.bin']?.bytesReadBack).toBe(0);
    } finally {
      await d.close();
    }
  });
});
