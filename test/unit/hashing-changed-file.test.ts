// A file that changed or vanished on disk after it was chosen, read the way Firefox reads it (no
// snapshot: no error, the bytes on disk now, the old size): every way of hashing it ends as the
// unreadable-file error, never as a sha of the wrong bytes nor as "Hashing was aborted".
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashBlob, sampleBlob } from '../../src/hashing/hash-core.js';
import { MainThreadHasher } from '../../src/hashing/main-thread-hasher.js';
import { changedFile } from './fakes/changed-file.js';

const MiB = 1024 * 1024;
const unreadable = { kind: 'file', code: 'file-unreadable', action: 'fatal' };

describe('a file changed on disk after it was chosen', () => {
  it.each(['stream', 'blocks'] as const)('that shrank reads short: the %s reader fails as NotReadableError', async (reader) => {
    const file = changedFile(MiB, randomBytes(1000));
    const error = await hashBlob(file, { reader, blockSize: 256 * 1024 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'NotReadableError' });
    expect((error as Error).message).toMatch(/changed on disk/);
  });

  it('that shrank to a whole number of blocks still fails (the missing blocks read empty)', async () => {
    const file = changedFile(4 * 256 * 1024, randomBytes(2 * 256 * 1024));
    await expect(hashBlob(file, { reader: 'blocks', blockSize: 256 * 1024 })).rejects.toMatchObject({ name: 'NotReadableError' });
  });

  it('that grew is seen by the stream reader from byte 0, which reads the File itself to its new end', async () => {
    const file = changedFile(4 * 256 * 1024, randomBytes(5 * 256 * 1024 + 7));
    await expect(hashBlob(file, { reader: 'stream' })).rejects.toMatchObject({ name: 'NotReadableError' });
  });

  it('ends as the unreadable-file error on the main thread, and in the sampled fingerprint', async () => {
    const shrunk = changedFile(MiB, randomBytes(1000));
    await expect(new MainThreadHasher().sha1(shrunk)).rejects.toMatchObject(unreadable);
    await expect(new MainThreadHasher().sample(shrunk)).rejects.toMatchObject(unreadable);
    await expect(sampleBlob(shrunk)).rejects.toMatchObject({ name: 'NotReadableError' });
  });
});

describe('a file deleted after it was chosen (Firefox: AbortError, nobody aborted)', () => {
  it.each(['sha1', 'sample', 'sliceSha1'] as const)('%s on the main thread: unreadable file, not aborted', async (job) => {
    const file = changedFile(3 * MiB, 'deleted');
    await expect(new MainThreadHasher()[job](file)).rejects.toMatchObject(unreadable);
  });

  it('an abort of our own is still an abort', async () => {
    const controller = new AbortController();
    const run = new MainThreadHasher().sha1(changedFile(3 * MiB, randomBytes(3 * MiB)), { signal: controller.signal });
    controller.abort();
    await expect(run).rejects.toMatchObject({ kind: 'aborted' });
  });
});
