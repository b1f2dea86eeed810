// Storage trouble, end to end through <vod-uploader>: IndexedDB refused (private mode: open throws,
// or its request fails), over quota (every put throws QuotaExceededError), and a database left by an
// older layout. Uploads still work, just without resume: one vod-upload-warning and one visible
// notice, however many files follow. Old-version records in the current store are dropped quietly
// and never offered as "unfinished uploads".
import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, test, uniqueName, type TestServer } from './helpers/server.js';
import { choose, openElementPage, sha1 } from './helpers/element-page.js';

async function recordWarnings(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { warnings: Array<{ code: string | number; kind: string; message: string }> };
    w.warnings = [];
    document.addEventListener('vod-upload-warning', (e) => {
      const { error } = (e as CustomEvent<{ error: { code: string | number; kind: string; message: string } }>).detail;
      w.warnings.push({ code: error.code, kind: error.kind, message: error.message });
    });
  });
}
const warnings = (page: Page): Promise<Array<{ code: string | number; kind: string; message: string }>> =>
  page.evaluate(() => (window as unknown as { warnings: Array<{ code: string | number; kind: string; message: string }> }).warnings);

/** Two uploads, one after the other; both must reach the server with the right sha. */
async function uploadTwo(page: Page, server: TestServer): Promise<void> {
  const host = page.locator('vod-uploader');
  for (const stem of ['first', 'second']) {
    const name = uniqueName(stem);
    const bytes = randomBytes(3 * server.sliceSize + 11);
    await choose(page, [{ name, buffer: bytes }]);
    await expect(host.locator('[part=file]', { hasText: name })).toHaveAttribute('data-status', 'done');
    expect(server.stats.completedFiles.find((f) => f.path === `/${name}`)?.sha).toBe(sha1(bytes));
  }
}

async function expectOneWarning(page: Page, code: string, words: RegExp): Promise<void> {
  await expect.poll(async () => (await warnings(page)).length).toBe(1);
  const [warning] = await warnings(page);
  expect(warning).toMatchObject({ kind: 'storage', code });
  expect(warning!.message).toMatch(words);
  // The same words, visible in the element, once.
  const notice = page.locator('vod-uploader .notice');
  await expect(notice).toHaveCount(1);
  await expect(notice.locator('span')).toHaveText(`Note: ${warning!.message}`);
}

test('IndexedDB refused (open throws, as in private mode): uploads work, one warning, one notice', async ({ page, server }) => {
  await recordWarnings(page);
  await page.addInitScript(() => {
    IDBFactory.prototype.open = function open(): IDBOpenDBRequest {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    };
  });
  await openElementPage(page, server);
  await uploadTwo(page, server);
  await expectOneWarning(page, 'storage-unavailable', /will not resume after a reload/);
});

test('IndexedDB open fails asynchronously (its request fires "error"): uploads work, one warning, one notice', async ({ page, server }) => {
  await recordWarnings(page);
  await page.addInitScript(() => {
    IDBFactory.prototype.open = function open(): IDBOpenDBRequest {
      const request = { result: undefined, error: new DOMException('Internal error opening backing store.', 'UnknownError') } as unknown as IDBOpenDBRequest;
      setTimeout(() => (request.onerror as ((e: Event) => void) | null)?.(new Event('error')), 10);
      return request;
    };
  });
  await openElementPage(page, server);
  await uploadTwo(page, server);
  await expectOneWarning(page, 'storage-unavailable', /will not resume after a reload/);
});

test('over quota (every put throws QuotaExceededError): uploads work, one warning, one notice', async ({ page, server }) => {
  await recordWarnings(page);
  await page.addInitScript(() => {
    IDBObjectStore.prototype.put = function put(): IDBRequest<IDBValidKey> {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await openElementPage(page, server);
  await uploadTwo(page, server);
  await expectOneWarning(page, 'quota-exceeded', /no room left/);
});

/** Opens a page of the test origin that runs no product code, to prepare its IndexedDB. */
async function onBareOriginPage(page: Page, prepare: () => Promise<void>): Promise<void> {
  await page.goto('/package.json');
  await page.evaluate(prepare);
}

test('a database of an older layout (no "sessions" store): uploads work, one warning, one notice', async ({ page, server }) => {
  await recordWarnings(page);
  await onBareOriginPage(page, () => {
    return new Promise<void>((resolve, reject) => {
      const request = indexedDB.open('vod-uploader', 3);
      request.onupgradeneeded = () => request.result.createObjectStore('keyval');
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(request.error);
    });
  });
  await openElementPage(page, server);
  await uploadTwo(page, server);
  await expectOneWarning(page, 'storage-unavailable', /will not resume after a reload/);
});

test('old-version records in the store: ignored and deleted, never offered for resume; uploads resume-capable, no warning', async ({ page, server }) => {
  await recordWarnings(page);
  await onBareOriginPage(page, () => {
    return new Promise<void>((resolve, reject) => {
      const request = indexedDB.open('vod-uploader');
      request.onupgradeneeded = () => request.result.createObjectStore('sessions');
      request.onsuccess = () => {
        const db = request.result;
        const tx = db.transaction('sessions', 'readwrite');
        const store = tx.objectStore('sessions');
        // Version 0 had no wrapper; then a future version; then garbage.
        store.put({ key: 'old', name: 'old.mp4', size: 10, acked: [[0, 5]], updatedAt: Date.now() }, 'old');
        store.put({ schema: 99, session: { key: 'future', name: 'future.mp4', size: 10, acked: [], updatedAt: Date.now() } }, 'future');
        store.put('garbage', 'garbage');
        tx.oncomplete = () => {
          db.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error);
      };
      request.onerror = () => reject(request.error);
    });
  });
  const host = await openElementPage(page, server);
  await uploadTwo(page, server);
  await expect(host.locator('.restorable-item')).toHaveCount(0);
  expect(await warnings(page)).toEqual([]);
  await expect(host.locator('.notice')).toHaveCount(0);
  const keys = await page.evaluate(
    () =>
      new Promise<string[]>((resolve) => {
        const request = indexedDB.open('vod-uploader');
        request.onsuccess = () => {
          const all = request.result.transaction('sessions').objectStore('sessions').getAllKeys();
          all.onsuccess = () => resolve(all.result.map(String));
        };
      }),
  );
  expect(keys.filter((k) => ['old', 'future', 'garbage'].includes(k))).toEqual([]);
});
