// UploadQueue.discardStored: forgets stored sessions under their cross-tab locks, and refuses one
// that is uploading in another tab or is in this queue's list.
import { describe, expect, it } from 'vitest';
import type { StoredSession } from '../../src/engine/types.js';
import { makeFile } from './fakes/fakes.js';
import { makeHarness, TARGET } from './fakes/harness.js';

function session(key: string, name = `${key}.mp4`): StoredSession {
  return {
    key, name, size: 1000, lastModified: 1, type: 'video/mp4', path: `/${TARGET.dir}/${name}`, target: TARGET,
    sampleSha: 'x', acked: [[0, 100]], createdAt: 0, updatedAt: 0,
  };
}

describe('discardStored', () => {
  it('deletes every stored session not in the list, and one by key', async () => {
    const h = makeHarness();
    for (const key of ['a', 'b', 'c']) await h.store.put(session(key));
    expect(await h.queue.discardStored('b')).toEqual({ discarded: ['b'], refused: [] });
    expect((await h.queue.listRestorable()).map((r) => r.key).sort()).toEqual(['a', 'c']);
    expect((await h.queue.discardStored()).discarded.sort()).toEqual(['a', 'c']);
    expect(await h.queue.listRestorable()).toEqual([]);
    expect(await h.queue.discardStored('gone')).toEqual({ discarded: [], refused: [] });
  });

  it('refuses a session another tab holds the lock of, and keeps it', async () => {
    const h = makeHarness();
    await h.store.put(session('mine'));
    await h.store.put(session('theirs', 'theirs.mp4'));
    const otherTab = h.locks.tab();
    const held = await otherTab.tryAcquire('theirs');
    const result = await h.queue.discardStored();
    expect(result).toEqual({ discarded: ['mine'], refused: [{ key: 'theirs', name: 'theirs.mp4', where: 'elsewhere' }] });
    expect(await h.store.get('theirs')).toBeDefined();
    // The lock is let go after a discard: the other tab's lock is untouched, ours not kept.
    expect(h.locks.isHeld('theirs')).toBe(true);
    expect(h.locks.isHeld('mine')).toBe(false);
    held?.release();
    expect((await h.queue.discardStored('theirs')).discarded).toEqual(['theirs']);
  });

  it('refuses the session of an upload in this list by key, and skips it when discarding all', async () => {
    const h = makeHarness();
    const [added] = h.queue.add([makeFile(10 * 1024 * 1024, 'running.mp4')]).added;
    await h.until(added!.id, 'uploading');
    const key = (await h.store.list())[0]!.key;
    expect(await h.queue.discardStored()).toEqual({ discarded: [], refused: [] });
    expect(await h.queue.discardStored(key)).toEqual({ discarded: [], refused: [{ key, name: 'running.mp4', where: 'here' }] });
    expect(await h.store.get(key)).toBeDefined();
  });
});
