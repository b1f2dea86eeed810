// Test page for test/e2e/store.spec.ts: exposes an IdbSessionStore, raw access to its database, and
// Web Locks on `window.store`. `?timeout=<ms>` and `?interval=<ms>` set the store's options.
import { createStore, entries, set } from 'idb-keyval';
import type { UploadError } from '../../../src/engine/errors.js';
import type { LockHandle, StoredSession } from '../../../src/engine/types.js';
import { IdbSessionStore } from '../../../src/store/idb-store.js';
import { WebLocks } from '../../../src/store/web-locks.js';

const params = new URL(location.href).searchParams;
const warnings: Array<{ kind: string; code: string | number; action: string }> = [];
let clockOffset = 0;
const store = new IdbSessionStore({
  timeoutMs: Number(params.get('timeout') ?? 5000),
  minWriteIntervalMs: Number(params.get('interval') ?? 250),
  now: () => Date.now() + clockOffset,
});
store.onWarning = (w: UploadError) => warnings.push({ kind: w.kind, code: w.code, action: w.action });

const locks = new WebLocks();
const held = new Map<string, LockHandle>();

function session(key: string, extra: Partial<StoredSession> = {}): StoredSession {
  return {
    key,
    name: `${key}.mp4`,
    size: 123_456_789,
    lastModified: 1_700_000_000_000,
    type: 'video/mp4',
    path: `videos/${key}.mp4`,
    target: { appid: '200001', bucket: 'newbucket', dir: 'videos' },
    sampleSha: 'a'.repeat(40),
    acked: [],
    createdAt: Date.now(),
    updatedAt: Date.now(),
    ...extra,
  };
}

const api = {
  warnings: () => warnings,
  degraded: () => store.degraded,
  put: (key: string, extra: Partial<StoredSession> = {}) => store.put(session(key, extra)),
  /** `count` updates in a row, as acknowledged slices would come: acked grows by 1 MiB each time. */
  async putMany(key: string, count: number, flush: boolean): Promise<void> {
    for (let i = 1; i <= count; i++) void store.put(session(key, { acked: [[0, i * 1048576]] }));
    if (flush) await store.flush();
  },
  get: (key: string) => store.get(key),
  list: async () => (await store.list()).map((s) => s.key).sort(),
  delete: (key: string) => store.delete(key),
  sweep: (maxAgeMs: number) => store.sweep(maxAgeMs),
  flush: () => store.flush(),
  /** Moves this page's clock (for sweep). */
  advanceClock: (ms: number) => void (clockOffset += ms),
  /** Writes a raw value into the store's database, bypassing the store (old schemas, garbage). */
  rawSet: (key: string, value: unknown) => set(key, value, createStore('vod-uploader', 'sessions')),
  rawKeys: async () => (await entries(createStore('vod-uploader', 'sessions'))).map(([k]) => String(k)).sort(),
  /** A real FileSystemFileHandle (from the origin-private file system) stored with a session. */
  async putWithHandle(key: string): Promise<void> {
    const root = await navigator.storage.getDirectory();
    const handle = await root.getFileHandle(`${key}.bin`, { create: true });
    await store.put(session(key, { handle }));
    await store.flush();
  },
  async handleOf(key: string): Promise<{ kind: string; name: string; isFileHandle: boolean } | null> {
    const s = await store.get(key);
    if (!s?.handle) return null;
    return { kind: s.handle.kind, name: s.handle.name, isFileHandle: s.handle instanceof FileSystemFileHandle };
  },
  /** A "handle" IndexedDB cannot clone: the store keeps the session without it. */
  async putWithUncloneableHandle(key: string): Promise<void> {
    const handle = { kind: 'file', name: 'x', run: () => 1 } as unknown as FileSystemFileHandle;
    await store.put(session(key, { handle }));
    await store.flush();
  },
  async tryLock(key: string): Promise<boolean> {
    const lock = await locks.tryAcquire(key);
    if (lock) held.set(key, lock);
    return lock !== null;
  },
  async waitLock(key: string): Promise<boolean> {
    held.set(key, await locks.acquire(key));
    return true;
  },
  release(key: string): void {
    held.get(key)?.release();
    held.delete(key);
  },
};

declare global {
  interface Window {
    store: typeof api;
  }
}
window.store = api;
document.body.dataset.ready = 'true';
