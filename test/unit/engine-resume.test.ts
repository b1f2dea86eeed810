// Going on after a reload: stored sessions, checkpoints, the sampled fingerprint, acked ranges.
import { describe, expect, it } from 'vitest';
import { networkError } from './fakes/fake-protocol.js';
import { makeFile, sha1Of } from './fakes/fakes.js';
import { makeHarness, waitFor, type Harness } from './fakes/harness.js';

/** Tab 1 uploads `file` until `stopWhen` holds, then the page goes away (dispose). */
async function interrupted(file: File, stopWhen: (h: Harness, id: string) => boolean | Promise<boolean>, setup?: (h: Harness) => void): Promise<Harness> {
  const h = makeHarness({ concurrency: 1 });
  h.protocol.sliceSize = 1000;
  setup?.(h);
  const { added } = h.queue.add([file]);
  await waitFor(() => stopWhen(h, added[0]!.id), 'the interruption point');
  h.queue.dispose();
  await h.queue.idle();
  return h;
}

function stopAfterBytes(bytes: number) {
  return (h: Harness, id: string) => (h.queue.get(id)?.uploadedBytes ?? 0) >= bytes;
}

describe('resume after a reload', () => {
  it('lists the stored upload and goes on without hashing again or resending', async () => {
    const file = makeFile(5000);
    const h1 = await interrupted(file, stopAfterBytes(2000));
    const sentBefore = h1.protocol.slices().map((s) => s.offset);
    expect(h1.hasher.sha1Calls).toHaveLength(1);

    const h2 = h1.secondTab();
    const restorable = await h2.queue.init();
    expect(restorable).toHaveLength(1);
    expect(restorable[0]).toMatchObject({ name: 'clip.mp4', size: 5000, hashedBytes: 5000, hasHandle: false, path: 'uploads/2026/clip.mp4' });
    expect(restorable[0]!.uploadedBytes).toBeGreaterThanOrEqual(2000);
    expect(h2.types()).toContain('restorable');

    const { added } = h2.queue.add([file]);
    expect((await h2.until(added[0]!.id, 'done', 'error')).status).toBe('done');
    expect(h1.hasher.sha1Calls).toHaveLength(1); // no re-hash: size and mtime match
    expect(h2.protocol.creates().at(-1)!.session).toBe('session-1');
    const all = h2.protocol.slices().map((s) => s.offset);
    const sentAfter = all.slice(sentBefore.length);
    for (const offset of sentAfter) expect(sentBefore.slice(0, 2)).not.toContain(offset);
    expect(new Set(all)).toEqual(new Set([0, 1000, 2000, 3000, 4000]));
    await h2.queue.idle();
    expect(await h2.store.inner.list()).toEqual([]); // done: the stored session is gone
  });

  it('stores the sha and a new server session at once, past the store coalescing; acks and a resumed session are not hurried', async () => {
    const file = makeFile(5000);
    const sha = await sha1Of(file);
    const h1 = await interrupted(file, stopAfterBytes(2000));
    // What the page must not lose to a reload within the store's write interval (IndexedDB's 250 ms):
    // the whole file's sha (else: hashed again), the server's new session (else: a second session).
    expect(h1.store.urgent.map((r) => [r.sha, r.session ?? null])).toEqual([
      [sha, null],
      [sha, 'session-1'],
    ]);
    expect(h1.store.puts).toBeGreaterThan(h1.store.urgent.length); // acks go through the interval

    const h2 = h1.secondTab();
    await h2.queue.init();
    const { added } = h2.queue.add([file]);
    expect((await h2.until(added[0]!.id, 'done', 'error')).status).toBe('done');
    expect(h2.protocol.creates().at(-1)!.session).toBe('session-1');
    expect(h2.store.urgent).toHaveLength(2); // the same session: nothing new to hurry
  });

  it('does not resend slices acked beyond the server offset', async () => {
    const file = makeFile(6000);
    // Slice 0 keeps failing (tab 1 sits in 'retrying'), slices 1000 and 2000 are acked meanwhile.
    const h1 = makeHarness({ concurrency: 3, adaptiveConcurrency: false });
    h1.protocol.sliceSize = 1000;
    h1.clock.holdSleeps();
    h1.protocol.fail((c) => c.op === 'slice' && c.offset === 0, networkError());
    const { added } = h1.queue.add([file]);
    await h1.until(added[0]!.id, 'retrying');
    expect(h1.queue.get(added[0]!.id)?.uploadedBytes).toBe(2000);
    h1.queue.dispose();
    await h1.queue.idle();

    const h2 = h1.secondTab();
    const { added: again } = h2.queue.add([file]);
    expect((await h2.until(again[0]!.id, 'done')).status).toBe('done');
    const offsets = h2.protocol.slices().map((s) => s.offset);
    expect(offsets.filter((o) => o === 1000)).toHaveLength(1);
    expect(offsets.filter((o) => o === 2000)).toHaveLength(1);
    expect(h2.protocol.creates().at(-1)).toMatchObject({ session: 'session-1' });
  });

  it('finds a re-selected file with another mtime by its sampled fingerprint, re-hashes, and goes on', async () => {
    const file = makeFile(5000);
    const h1 = await interrupted(file, stopAfterBytes(3000));
    const slicesBefore = h1.protocol.slices().length;
    const copy = new File([file], file.name, { type: file.type, lastModified: file.lastModified + 60_000 });

    const h2 = h1.secondTab();
    const { added } = h2.queue.add([copy]);
    expect((await h2.until(added[0]!.id, 'done')).status).toBe('done');
    // mtime changed: the stored sha is not trusted, the file is hashed again from zero…
    expect(h1.hasher.sha1Calls).toEqual([{ from: undefined }, { from: undefined }]);
    // …and being the same content, the stored server session goes on.
    expect(h2.protocol.creates().at(-1)!.session).toBe('session-1');
    expect(h2.protocol.slices().length - slicesBefore).toBeLessThanOrEqual(2);
  });

  it('starts a new server session when a re-selected file changed where the sample does not look', async () => {
    const file = makeFile(5000);
    const h1 = await interrupted(file, stopAfterBytes(2000));
    const bytes = new Uint8Array(await file.arrayBuffer());
    bytes[500] = (bytes[500]! + 1) & 255; // not in the sampled head/middle/tail
    const changed = new File([bytes], file.name, { type: file.type, lastModified: file.lastModified + 1 });

    const h2 = h1.secondTab();
    const { added } = h2.queue.add([changed]);
    const done = await h2.until(added[0]!.id, 'done');
    expect(done.sha).toBe(await sha1Of(changed));
    const last = h2.protocol.creates().at(-1)!;
    expect(last.session).toBeUndefined();
    expect(last.sha).toBe(await sha1Of(changed));
  });

  it('goes on hashing from the stored checkpoint', async () => {
    const file = makeFile(8000);
    const h1 = await interrupted(
      file,
      async (h) => (await h.store.inner.list())[0]?.checkpoint?.offset === 6000,
      (h) => {
        h.hasher.checkpointEvery = 1000;
        h.hasher.holdHashing();
      },
    );
    h1.hasher.releaseHashing();
    const h2 = h1.secondTab();
    const restorable = await h2.queue.init();
    expect(restorable[0]).toMatchObject({ hashedBytes: 6000, uploadedBytes: 0 });
    const { added } = h2.queue.add([file]);
    const done = await h2.until(added[0]!.id, 'done');
    expect(h1.hasher.sha1Calls.at(-1)).toEqual({ from: 6000 });
    expect(done.sha).toBe(await sha1Of(file));
  });

  it('sweeps sessions older than sessionMaxAgeMs at init', async () => {
    const file = makeFile(5000);
    const h1 = await interrupted(file, stopAfterBytes(1000));
    h1.clock.advance(8 * 24 * 3600 * 1000);
    const h2 = h1.secondTab();
    expect(await h2.queue.init()).toEqual([]);
    expect(await h2.store.inner.list()).toEqual([]);
  });

  it('restores from a stored file handle, or says the file is unavailable', async () => {
    const file = makeFile(5000);
    const handle = { getFile: async () => file } as unknown as FileSystemFileHandle;
    const h1 = makeHarness({ concurrency: 1 });
    h1.protocol.sliceSize = 1000;
    const { added } = h1.queue.add([{ file, handle }]);
    await waitFor(() => (h1.queue.get(added[0]!.id)?.uploadedBytes ?? 0) >= 2000);
    h1.queue.dispose();
    await h1.queue.idle();

    const h2 = h1.secondTab();
    const [r] = await h2.queue.init();
    expect(r!.hasHandle).toBe(true);
    const snap = await h2.queue.restore(r!.key);
    expect(snap.name).toBe('clip.mp4');
    expect((await h2.until(snap.id, 'done')).status).toBe('done');
    expect(h1.hasher.sha1Calls).toHaveLength(1);

    await expect(h2.queue.restore('no-such-key')).rejects.toMatchObject({ kind: 'file' });
  });

  it('reports a stored handle whose file is gone as a file error', async () => {
    const file = makeFile(3000);
    const gone = { getFile: async () => { throw new DOMException('gone', 'NotFoundError'); } } as unknown as FileSystemFileHandle;
    const h1 = makeHarness({ autoStart: false });
    h1.protocol.hold(); // the server never answers: the upload stays unfinished
    // Store a session with that handle the way the engine does (add, start, stop after hashing).
    h1.queue.add([{ file, handle: gone }]);
    h1.queue.start();
    await waitFor(async () => (await h1.store.inner.list())[0]?.sha !== undefined);
    h1.queue.dispose();
    await h1.queue.idle();
    const h2 = h1.secondTab();
    const [r] = await h2.queue.init();
    await expect(h2.queue.restore(r!.key)).rejects.toMatchObject({ kind: 'file', code: 'unavailable' });
  });
});
