// Fault switches the engine's tests rely on: the -4019 mode of the first request, and the count of
// upload requests open at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomFile, sha1, TestServer } from './helpers.js';

const SLICE = 65_536;
let s: TestServer;
beforeAll(async () => {
  s = await TestServer.start({ sliceSize: SLICE });
});
afterAll(() => s.close());

describe('faults', () => {
  it('unfinished: answers -4019 to a first request without session, with or without the session in data', async () => {
    const file = randomFile(SLICE * 2 + 1);
    const fields = { filesize: file.length, sha: sha1(file) };
    const created = await s.create('u/a.mp4', fields);
    const session = String(created.data.session);
    try {
      s.server.setFaults({ unfinished: 'with-session' });
      expect(await s.create('u/a.mp4', fields)).toMatchObject({ code: -4019, message: expect.stringMatching(/^ERROR_UPLOAD_UNFINISHED/), data: { session } });
      s.server.setFaults({ unfinished: 'without-session' });
      expect(await s.create('u/a.mp4', fields)).toMatchObject({ code: -4019, data: {} });
      // With the session the first request resumes as usual.
      expect((await s.create('u/a.mp4', { ...fields, session })).data).toMatchObject({ session, offset: 0 });
    } finally {
      s.server.setFaults({});
    }
    expect((await s.create('u/a.mp4', fields)).data).toMatchObject({ session });
  });

  it('counts the most upload requests open at once', async () => {
    s.server.stats.reset();
    s.server.setFaults({ delayMs: 150 });
    try {
      const file = randomFile(SLICE * 4);
      await s.upload('c/b.mp4', file, { parallel: 3 });
    } finally {
      s.server.setFaults({});
    }
    expect(s.server.stats.maxConcurrentUploadRequests).toBe(3);
  });
});
