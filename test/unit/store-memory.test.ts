// MemorySessionStore, and IdbSessionStore where there is no IndexedDB (Node): it must work from
// memory and warn exactly once.
import { describe, expect, it } from 'vitest';
import type { UploadError } from '../../src/engine/errors.js';
import type { StoredSession } from '../../src/engine/types.js';
import { IdbSessionStore } from '../../src/store/idb-store.js';
import { MemorySessionStore } from '../../src/store/memory-store.js';

function session(key: string, updatedAt = 1000, extra: Partial<StoredSession> = {}): StoredSession {
  return {
    key,
    name: `${key}.mp4`,
    size: 10_000,
    lastModified: 1,
    type: 'video/mp4',
    path: `videos/${key}.mp4`,
    target: { appid: '200001', bucket: 'b', dir: 'videos' },
    sampleSha: 'a'.repeat(40),
    acked: [[0, 1024]],
    createdAt: 500,
    updatedAt,
    ...extra,
  };
}

describe('MemorySessionStore', () => {
  it('stores, lists and deletes copies, not the caller objects', async () => {
    const store = new MemorySessionStore();
    const s = session('k1');
    await store.put(s);
    s.acked.push([1024, 2048]);
    expect((await store.get('k1'))?.acked).toEqual([[0, 1024]]);
    const got = (await store.get('k1'))!;
    got.acked.length = 0;
    expect((await store.get('k1'))?.acked).toEqual([[0, 1024]]);
    await store.put(session('k2'));
    expect((await store.list()).map((x) => x.key).sort()).toEqual(['k1', 'k2']);
    await store.delete('k1');
    expect(await store.get('k1')).toBeUndefined();
    expect((await store.list()).map((x) => x.key)).toEqual(['k2']);
  });

  it('sweeps entries not updated for maxAgeMs', async () => {
    let now = 10_000;
    const store = new MemorySessionStore({ now: () => now });
    await store.put(session('old', 1_000));
    await store.put(session('new', 9_500));
    now = 11_000;
    await store.sweep(5_000);
    expect((await store.list()).map((x) => x.key)).toEqual(['new']);
  });
});

describe('IdbSessionStore without IndexedDB', () => {
  it('works from memory and warns once with a storage warning', async () => {
    const warnings: UploadError[] = [];
    const store = new IdbSessionStore({ minWriteIntervalMs: 0 });
    store.onWarning = (w) => warnings.push(w);
    await store.put(session('k1'));
    await store.put(session('k2'));
    expect((await store.get('k1'))?.name).toBe('k1.mp4');
    expect((await store.list()).length).toBe(2);
    await store.delete('k1');
    expect(await store.get('k1')).toBeUndefined();
    await store.sweep(0);
    expect(store.degraded).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ kind: 'storage', code: 'storage-unavailable', action: 'fatal' });
  });
});
