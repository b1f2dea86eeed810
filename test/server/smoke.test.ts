import { afterAll, expect, it } from 'vitest';
import { randomFile, sha1, TestServer } from './helpers.js';

let s: TestServer;
afterAll(() => s?.close());

it('uploads a file in parallel slices and serves it back', async () => {
  s = await TestServer.start();
  const file = randomFile(786432 * 3 + 1000);
  const done = await s.upload('dir/a.mp4', file, { parallel: 3 });
  expect(done).toMatchObject({ code: 0 });
  const got = Buffer.from(await (await fetch(String(done.data.access_url))).arrayBuffer());
  expect(sha1(got)).toBe(sha1(file));
});
