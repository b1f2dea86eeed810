// MemoryLocks (the single-tab stand-in for Web Locks) and the online sources.
import { describe, expect, it } from 'vitest';
import { isAbortError } from '../../src/engine/errors.js';
import { alwaysOnline, browserOnlineSource } from '../../src/store/online.js';
import { MemoryLocks } from '../../src/store/web-locks.js';

describe('MemoryLocks', () => {
  it('gives a key to one holder at a time; tryAcquire returns null while held', async () => {
    const locks = new MemoryLocks();
    const first = await locks.tryAcquire('k');
    expect(first).not.toBeNull();
    expect(await locks.tryAcquire('k')).toBeNull();
    expect(await locks.tryAcquire('other')).not.toBeNull();
    first!.release();
    first!.release(); // a second release must not free a lock someone else took since
    const second = await locks.tryAcquire('k');
    expect(second).not.toBeNull();
    expect(await locks.tryAcquire('k')).toBeNull();
  });

  it('acquire waits for the release, in order, and rejects on abort', async () => {
    const locks = new MemoryLocks();
    const held = await locks.acquire('k');
    const order: string[] = [];
    const a = locks.acquire('k').then((h) => (order.push('a'), h));
    const controller = new AbortController();
    const b = locks.acquire('k', controller.signal);
    const c = locks.acquire('k').then((h) => (order.push('c'), h));
    controller.abort();
    await expect(b).rejects.toSatisfy(isAbortError);
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual([]);
    held.release();
    (await a).release();
    (await c).release();
    expect(order).toEqual(['a', 'c']);
    expect(await locks.tryAcquire('k')).not.toBeNull();
  });
});

describe('online sources', () => {
  it('alwaysOnline is online and never calls back', () => {
    expect(alwaysOnline.isOnline()).toBe(true);
    const unsubscribe = alwaysOnline.subscribe(() => {
      throw new Error('must not be called');
    });
    unsubscribe();
  });

  it('browserOnlineSource says online where the platform cannot tell (Node)', () => {
    const source = browserOnlineSource();
    expect(source.isOnline()).toBe(true);
    source.subscribe(() => undefined)();
  });
});
