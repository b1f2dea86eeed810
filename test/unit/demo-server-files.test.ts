// The demo server's per-file costs that must not grow with the files before (demo/server/
// file-index.ts, upload-request.ts): a finished file appends one line to a journal instead of
// rewriting the whole index, and a signature's HMAC is computed once, not per request. Both keep
// what they must: every finished file survives a restart, an expired signature is still refused.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomFile, sha1, tempDir, TestServer } from '../server/helpers.js';

const lines = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');

describe('the index of finished files', () => {
  it('gets one line per finished file, and a restart folds the lines into files.json, keeping every file', async () => {
    const dataDir = tempDir();
    const files = [randomFile(1500), randomFile(10), randomFile(2001)];
    const a = await TestServer.start({ dataDir, sliceSize: 1000 });
    for (const [i, file] of files.entries()) {
      expect((await a.upload(`f/${i}.mp4`, file)).data.resource_path).toBe(`/f/${i}.mp4`);
    }
    expect(existsSync(join(dataDir, 'files.json'))).toBe(false); // never rewritten while it runs
    expect(lines(join(dataDir, 'files.jsonl'))).toHaveLength(3);
    await a.close(false);
    appendFileSync(join(dataDir, 'files.jsonl'), '{"key":"torn'); // a crash in the middle of an append

    const b = await TestServer.start({ dataDir, sliceSize: 1000 });
    try {
      expect(existsSync(join(dataDir, 'files.jsonl'))).toBe(false);
      expect(Object.keys(JSON.parse(readFileSync(join(dataDir, 'files.json'), 'utf8')) as object)).toHaveLength(3);
      for (const [i, file] of files.entries()) {
        const again = await b.create(`f/${i}.mp4`, { filesize: file.length, sha: sha1(file) });
        expect(again).toMatchObject({ code: 0, data: { resource_path: `/f/${i}.mp4` } });
        expect(again.data.session).toBeUndefined();
      }
      const other = randomFile(1500);
      expect(await b.create('f/0.mp4', { filesize: other.length, sha: sha1(other) })).toMatchObject({ code: -4018 });
      expect((await b.upload('f/3.mp4', other)).data.resource_path).toBe('/f/3.mp4');
      expect(lines(join(dataDir, 'files.jsonl'))).toHaveLength(1);
    } finally {
      await b.close(false);
    }
    const c = await TestServer.start({ dataDir, sliceSize: 1000 });
    try {
      expect(await c.create('f/3.mp4', { filesize: 1500, sha: sha1(randomFile(1500)) })).toMatchObject({ code: -4018 });
    } finally {
      await c.close();
    }
  });
});

describe('the signature check', () => {
  afterEach(() => vi.restoreAllMocks());

  it('computes the HMAC of a signature once, and still refuses it once it has expired', async () => {
    const s = await TestServer.start({ sliceSize: 1000 });
    try {
      const signature = await s.sign({ expiresInSeconds: 60 });
      const hmacs = vi.spyOn(crypto.subtle, 'sign');
      const file = randomFile(2500);
      const created = await s.create('s/a.mp4', { filesize: file.length, sha: sha1(file) }, signature);
      const session = String(created.data.session);
      for (const offset of [0, 1000]) {
        expect((await s.slice('s/a.mp4', session, offset, file.subarray(offset, offset + 1000), signature)).code).toBe(0);
      }
      expect(hmacs).toHaveBeenCalledTimes(1);
      // Another bucket in the same text is refused as before (the check is per appid and bucket).
      const elsewhere = await s.post(s.fileUrl('s/a.mp4', s.config.appid, 'other'), new FormData(), signature);
      expect(elsewhere.code).toBe(-81);
      const now = Date.now();
      vi.spyOn(Date, 'now').mockReturnValue(now + 61_000);
      const late = await s.slice('s/a.mp4', session, 2000, file.subarray(2000), signature);
      expect(late.code).toBe(-96);
    } finally {
      await s.close();
    }
  });
});
