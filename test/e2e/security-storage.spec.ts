// The signature is never persisted: in the middle of an upload (after the session store has written
// progress) and after it, every IndexedDB database and store, localStorage, sessionStorage, Cache
// Storage and the cookies are read in the page and searched for every signature the page received
// (as Base64, and its HMAC part as hex).
import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, test, uniqueName } from './helpers/server.js';
import { openElementPage } from './helpers/element-page.js';

/** Everything the page could read back after a reload, as one string. */
async function everythingStored(page: Page, context: BrowserContext): Promise<string> {
  const inPage = await page.evaluate(async () => {
    const replacer = (_key: string, value: unknown): unknown => {
      if (value instanceof Uint8Array) return Array.from(value);
      if (value instanceof ArrayBuffer) return Array.from(new Uint8Array(value));
      return value;
    };
    const out: string[] = [];
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      for (const storeName of Array.from(db.objectStoreNames)) {
        const [keys, values] = await new Promise<[unknown, unknown]>((resolve, reject) => {
          const tx = db.transaction(storeName);
          const keysRequest = tx.objectStore(storeName).getAllKeys();
          const valuesRequest = tx.objectStore(storeName).getAll();
          tx.oncomplete = () => resolve([keysRequest.result, valuesRequest.result]);
          tx.onerror = () => reject(tx.error);
        });
        out.push(JSON.stringify({ db: name, store: storeName, keys, values }, replacer));
      }
      db.close();
    }
    for (const storage of [localStorage, sessionStorage]) {
      for (let i = 0; i < storage.length; i++) out.push(`${storage.key(i)}=${storage.getItem(storage.key(i)!)}`);
    }
    for (const cacheName of await caches.keys()) {
      const cache = await caches.open(cacheName);
      for (const request of await cache.keys()) out.push(`${request.url}\n${await (await cache.match(request))!.text()}`);
    }
    return out.join('\n');
  });
  const cookies = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('\n');
  return `${inPage}\n${cookies}`;
}

test('no signature in IndexedDB, Web Storage, Cache Storage or cookies, mid-upload and after', async ({ page, context, server }) => {
  const signatures = new Set<string>();
  page.on('response', async (response) => {
    if (response.url().startsWith(server.signatureUrl) && response.ok()) signatures.add((await response.text()).trim());
  });
  server.setFaults({ delayMs: 300 });
  const name = uniqueName('secret-keeping');
  await openElementPage(page, server);
  await page.locator('vod-uploader [part=input]').setInputFiles({ name, mimeType: 'video/mp4', buffer: randomBytes(48 * server.sliceSize) });

  // Mid-upload, once the store holds progress for this file (so there is something to search).
  await expect.poll(() => server.stats.paths[`/${name}`]?.bytesReceived ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
  // The text that matched is the one searched: read again, it may already be gone (upload finished).
  let midway = '';
  await expect
    .poll(async () => /"acked":\[\[0,\d+\]/.test((midway = await everythingStored(page, context))), { timeout: 15_000 })
    .toBe(true);
  expect(midway).toContain(name);
  expect(signatures.size).toBeGreaterThan(0);
  const needles = [...signatures].flatMap((s) => [s, s.slice(0, 28), Buffer.from(s, 'base64').subarray(0, 20).toString('hex')]);
  for (const needle of needles) expect(midway.includes(needle), `found ${needle}`).toBe(false);

  server.setFaults({});
  await expect(page.locator('vod-uploader [part=file]')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  const after = await everythingStored(page, context);
  for (const needle of [...signatures].flatMap((s) => [s, s.slice(0, 28)])) expect(after.includes(needle)).toBe(false);
  // The JS heap of the page is not storage; what survives a reload is checked again after one.
  await page.reload();
  const reloaded = await everythingStored(page, context);
  for (const needle of needles) expect(reloaded.includes(needle)).toBe(false);
});
