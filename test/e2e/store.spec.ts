// IdbSessionStore and WebLocks in real Chromium: round trip, reload, sweep, old-schema records,
// file handles, IndexedDB failures (unavailable, stuck, over quota) degrading to memory with one
// warning, and Web Locks between two pages of one browser context.
import { expect, test, type Page } from '@playwright/test';
import { openTestPage } from './helpers/test-page.js';

const DAY = 24 * 3600 * 1000;

/** Opens the page; a reload by Vite's dependency optimizer (first sight of idb-keyval) is retried. */
async function openStore(page: Page, query = ''): Promise<void> {
  await openTestPage(page, `/test/e2e/pages/store.html${query}`, () => page.evaluate(() => window.store.degraded()));
}

test.describe('IdbSessionStore', () => {
  test('round trip: put, get, list, delete, and it survives a reload', async ({ page }) => {
    await openStore(page);
    await page.evaluate(async () => {
      await window.store.put('a', { acked: [[0, 1048576]], sha: 'b'.repeat(40) });
      await window.store.put('b');
      await window.store.flush();
    });
    await page.reload();
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
    const a = await page.evaluate(() => window.store.get('a'));
    expect(a).toMatchObject({ key: 'a', name: 'a.mp4', acked: [[0, 1048576]], sha: 'b'.repeat(40) });
    expect(a?.target).toEqual({ appid: '200001', bucket: 'newbucket', dir: 'videos' });
    expect(await page.evaluate(() => window.store.list())).toEqual(['a', 'b']);
    await page.evaluate(() => window.store.delete('a'));
    expect(await page.evaluate(() => window.store.get('a'))).toBeUndefined();
    await page.reload();
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
    expect(await page.evaluate(() => window.store.list())).toEqual(['b']);
    expect(await page.evaluate(() => window.store.warnings())).toEqual([]);
  });

  test('a burst of updates keeps the latest state, also when the page goes away unflushed', async ({ page }) => {
    await openStore(page);
    await page.evaluate(() => window.store.putMany('burst', 60, true));
    expect((await page.evaluate(() => window.store.get('burst')))?.acked).toEqual([[0, 60 * 1048576]]);
    // No flush: 'pagehide' writes what is pending.
    await page.evaluate(() => window.store.putMany('burst', 80, false));
    await page.reload();
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
    expect((await page.evaluate(() => window.store.get('burst')))?.acked).toEqual([[0, 80 * 1048576]]);
  });

  test('a delete is not undone by an update still pending', async ({ page }) => {
    await openStore(page, '?interval=2000');
    await page.evaluate(async () => {
      await window.store.put('gone');
      void window.store.put('gone', { acked: [[0, 5]] }); // waits for the 2 s interval
      await window.store.delete('gone');
      await window.store.flush();
    });
    await page.reload();
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
    expect(await page.evaluate(() => window.store.rawKeys())).toEqual([]);
  });

  test('sweep deletes sessions not updated for maxAgeMs', async ({ page }) => {
    await openStore(page);
    await page.evaluate(async (day) => {
      await window.store.put('old', { updatedAt: Date.now() - 10 * day });
      await window.store.put('recent', { updatedAt: Date.now() - 2 * day });
      await window.store.sweep(7 * day);
    }, DAY);
    await page.reload();
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
    expect(await page.evaluate(() => window.store.list())).toEqual(['recent']);
    await page.evaluate((day) => (window.store.advanceClock(6 * day), window.store.sweep(7 * day)), DAY);
    expect(await page.evaluate(() => window.store.list())).toEqual([]);
  });

  test('records of another schema version or garbage are ignored and deleted', async ({ page }) => {
    await openStore(page);
    await page.evaluate(async () => {
      await window.store.put('current');
      await window.store.flush();
      await window.store.rawSet('v0', { schema: 0, session: { key: 'v0' } });
      await window.store.rawSet('bare', { key: 'bare', name: 'x.mp4', size: 1 }); // no schema field
      await window.store.rawSet('junk', 'not a record');
    });
    expect(await page.evaluate(() => window.store.rawKeys())).toEqual(['bare', 'current', 'junk', 'v0']);
    expect(await page.evaluate(() => window.store.get('v0'))).toBeUndefined();
    expect(await page.evaluate(() => window.store.list())).toEqual(['current']);
    expect(await page.evaluate(() => window.store.rawKeys())).toEqual(['current']);
    expect(await page.evaluate(() => window.store.warnings())).toEqual([]);
  });

  test('a FileSystemFileHandle survives a reload; an uncloneable one is dropped, the session kept', async ({
    page,
  }) => {
    await openStore(page);
    await page.evaluate(async () => {
      await window.store.putWithHandle('with-handle');
      await window.store.putWithUncloneableHandle('bad-handle');
    });
    await page.reload();
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
    expect(await page.evaluate(() => window.store.handleOf('with-handle'))).toEqual({
      kind: 'file',
      name: 'with-handle.bin',
      isFileHandle: true,
    });
    expect((await page.evaluate(() => window.store.get('bad-handle')))?.name).toBe('bad-handle.mp4');
    expect(await page.evaluate(() => window.store.handleOf('bad-handle'))).toBeNull();
    expect(await page.evaluate(() => window.store.warnings())).toEqual([]);
  });

  test('asks for persistent storage once, on the first stored session', async ({ page }) => {
    await page.addInitScript(() => {
      const counter = window as unknown as { persistCalls: number };
      counter.persistCalls = 0;
      navigator.storage.persist = async () => (counter.persistCalls++, false);
    });
    await openStore(page);
    const calls = await page.evaluate(async () => {
      const before = (window as unknown as { persistCalls: number }).persistCalls;
      await window.store.put('p1');
      await window.store.put('p2');
      await window.store.put('p1');
      return [before, (window as unknown as { persistCalls: number }).persistCalls];
    });
    expect(calls).toEqual([0, 1]);
  });
});

test.describe('IdbSessionStore when IndexedDB fails', () => {
  async function expectMemoryMode(page: Page, code: string): Promise<void> {
    const state = await page.evaluate(async () => {
      await window.store.put('m1', { acked: [[0, 7]] });
      await window.store.put('m2');
      const got = await window.store.get('m1');
      const keys = await window.store.list();
      await window.store.delete('m2');
      await window.store.sweep((window as unknown as { DAY_MS: number }).DAY_MS);
      return { acked: got?.acked, keys, after: await window.store.list(), degraded: window.store.degraded() };
    }).catch((e: unknown) => ({ thrown: String(e) }));
    expect(state).toEqual({ acked: [[0, 7]], keys: ['m1', 'm2'], after: ['m1'], degraded: true });
    const warnings = await page.evaluate(() => window.store.warnings());
    expect(warnings).toEqual([{ kind: 'storage', code, action: 'fatal' }]);
  }

  test('indexedDB.open throwing (private mode, blocked by policy) → memory, one warning', async ({ page }) => {
    await page.addInitScript(() => {
      (window as unknown as { DAY_MS: number }).DAY_MS = 86_400_000;
      IDBFactory.prototype.open = () => {
        throw new DOMException('The user denied permission to access the database.', 'SecurityError');
      };
    });
    await openStore(page);
    await expectMemoryMode(page, 'storage-unavailable');
  });

  test('indexedDB.open never answering → memory after the timeout, one warning', async ({ page }) => {
    await page.addInitScript(() => {
      (window as unknown as { DAY_MS: number }).DAY_MS = 86_400_000;
      IDBFactory.prototype.open = () => ({}) as IDBOpenDBRequest; // no event will ever fire
    });
    await openStore(page, '?timeout=300');
    await expectMemoryMode(page, 'storage-unavailable');
  });

  test('QuotaExceededError on write → memory, one quota warning', async ({ page }) => {
    await page.addInitScript(() => {
      (window as unknown as { DAY_MS: number }).DAY_MS = 86_400_000;
      IDBObjectStore.prototype.put = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    await openStore(page);
    await expectMemoryMode(page, 'quota-exceeded');
  });
});

test.describe('WebLocks between two pages', () => {
  test('the second page gets null until the first releases or closes', async ({ context }) => {
    const a = await context.newPage();
    const b = await context.newPage();
    await openStore(a);
    await openStore(b);
    expect(await a.evaluate(() => window.store.tryLock('file-1'))).toBe(true);
    expect(await b.evaluate(() => window.store.tryLock('file-1'))).toBe(false);
    expect(await b.evaluate(() => window.store.tryLock('file-2'))).toBe(true);
    await a.evaluate(() => window.store.release('file-1'));
    expect(await b.evaluate(() => window.store.tryLock('file-1'))).toBe(true);

    // b holds file-1; a waits for it and gets it when b's page closes.
    const waiting = a.evaluate(() => window.store.waitLock('file-1'));
    await a.waitForTimeout(200);
    await b.close();
    expect(await waiting).toBe(true);
    const c = await context.newPage();
    await openStore(c);
    expect(await c.evaluate(() => window.store.tryLock('file-1'))).toBe(false);
  });
});
