// Uploads belong to the page, not to one <vod-uploader>: a removed element leaves its upload
// running, a new element for the same target shows it live with working controls; a moved element
// keeps everything; once no element and no running upload is left, the page-level listeners and the
// Web Locks are gone. Leaving the page while an upload is sent asks first (unless no-leave-warning).
import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import type { VodUploaderElement } from '../../src/index.js';
import { expect, test, uniqueName, type TestServer } from './helpers/server.js';
import { choose, openElementPage, recordedEvents, sha1 } from './helpers/element-page.js';

declare global {
  interface Window {
    /** Page-level listeners added minus removed, per type (counted from before the page's scripts). */
    vodPageListeners: Record<string, number>;
  }
}

/** Counts window listeners of the types the uploader may add, from before any script of the page. */
async function countPageListeners(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.vodPageListeners = {};
    for (const method of ['addEventListener', 'removeEventListener'] as const) {
      const original = window[method];
      window[method] = function (this: Window, type: string, ...rest: unknown[]) {
        if (['pagehide', 'online', 'offline', 'beforeunload'].includes(type)) {
          window.vodPageListeners[type] = (window.vodPageListeners[type] ?? 0) + (method === 'addEventListener' ? 1 : -1);
        }
        return (original as (...args: unknown[]) => void).call(this, type, ...rest);
      } as typeof window.addEventListener;
    }
  });
}

/** The counted listeners still there, by type (none: `{}`). */
const pageListeners = (page: Page) =>
  page.evaluate(() => Object.fromEntries(Object.entries(window.vodPageListeners).filter(([, n]) => n !== 0)));
/** Those of the page itself, before any upload (Vite's client has a beforeunload listener). */
async function listenersBeforeUploads(page: Page): Promise<Record<string, number>> {
  const { beforeunload } = await pageListeners(page);
  return beforeunload ? { beforeunload } : {};
}
const heldLocks = (page: Page) =>
  page.evaluate(async () => ((await navigator.locks.query()).held ?? []).map((l) => l.name ?? '').filter((n) => n.startsWith('vod-uploader:')));

/** A new <vod-uploader> for the same target as the test page's, appended to its form. */
async function addElement(page: Page, server: TestServer, folder: string): Promise<void> {
  await page.evaluate(
    ({ endpoint, signatureUrl, appid, bucket, folder }) => {
      const el = document.createElement('vod-uploader');
      Object.assign(el, { endpoint, signatureUrl, appid, bucket, folder, name: 'videos', concurrency: 2 });
      document.getElementById('form')!.prepend(el);
    },
    { endpoint: server.endpoint, signatureUrl: server.signatureUrl, appid: server.appid, bucket: server.bucket, folder },
  );
}

test('removed mid-upload: the upload goes on; a new element for the target shows it live, pause and resume work', async ({ page, server }) => {
  await countPageListeners(page);
  server.setFaults({ delayMs: 500 });
  const host = await openElementPage(page, server, { folder: 'life', 'attr-concurrency': '2' });
  const baseline = await listenersBeforeUploads(page);
  const name = uniqueName('removed');
  const path = `/life/${name}`;
  const bytes = randomBytes(40 * server.sliceSize);
  await choose(page, [{ name, buffer: bytes }]);
  await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'uploading');
  await expect.poll(() => server.stats.paths[path]?.bytesReceived ?? 0).toBeGreaterThan(0);

  await page.evaluate(() => document.querySelector('vod-uploader')!.remove());
  await page.waitForTimeout(100);
  const atRemoval = server.stats.paths[path]!.bytesReceived;
  await expect.poll(() => server.stats.paths[path]!.bytesReceived).toBeGreaterThan(atRemoval);
  expect(await page.evaluate(() => window.vodPageUploads.getSnapshot().running)).toBe(1);

  await addElement(page, server, 'life');
  const row = page.locator('vod-uploader [part=file]');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-status', 'uploading');
  await expect(row.locator('.name')).toHaveText(name);
  const percent = () => row.locator('[part=progress]').first().getAttribute('aria-valuenow').then(Number);
  const first = await percent();
  await expect.poll(percent).toBeGreaterThan(first);

  await row.getByRole('button', { name: `Pause ${name}` }).click();
  await expect(row).toHaveAttribute('data-status', 'paused');
  await page.waitForTimeout(400);
  const atPause = server.stats.paths[path]!.bytesReceived;
  await page.waitForTimeout(600);
  expect(server.stats.paths[path]!.bytesReceived).toBe(atPause);
  server.setFaults({});
  await row.getByRole('button', { name: `Resume ${name}` }).click();
  await expect(row).toHaveAttribute('data-status', 'done');
  expect(server.stats.paths[path]!.sha).toBe(sha1(bytes));
  expect(server.stats.paths[path]!.completed).toBe(1);
  // The new element fired the events of what it showed, and is the form field now.
  const types = (await recordedEvents(page)).map((e) => e.type);
  expect(types.filter((t) => t === 'vod-upload-success')).toHaveLength(1);
  expect(types).not.toContain('vod-upload-cancel');
  expect(await page.evaluate(() => new FormData(document.getElementById('form') as HTMLFormElement).getAll('videos'))).toEqual([path]);

  // The last element goes, nothing runs: listeners and locks are gone, the page store is empty.
  await page.evaluate(() => document.querySelector('vod-uploader')!.remove());
  await expect.poll(() => pageListeners(page)).toEqual(baseline);
  expect(await heldLocks(page)).toEqual([]);
  expect(await page.evaluate(() => window.vodPageUploads.getSnapshot().uploads.length)).toBe(0);
});

test('a moved element (removed and re-inserted in one task) keeps its upload, rows and events', async ({ page, server }) => {
  server.setFaults({ delayMs: 150 });
  const host = await openElementPage(page, server, { folder: 'moved' });
  const name = uniqueName('moved');
  const bytes = randomBytes(12 * server.sliceSize);
  await choose(page, [{ name, buffer: bytes }]);
  await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'uploading');
  const idsBefore = await host.evaluate((el: VodUploaderElement) => el.uploads.map((u) => u.id));
  await page.evaluate(() => {
    const el = document.querySelector('vod-uploader')!;
    const box = document.createElement('div');
    document.body.append(box);
    box.append(el);
  });
  await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'uploading');
  server.setFaults({});
  await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'done');
  expect(await host.evaluate((el: VodUploaderElement) => el.uploads.map((u) => u.id))).toEqual(idsBefore);
  expect(server.stats.paths[`/moved/${name}`]!.sha).toBe(sha1(bytes));
  expect((await recordedEvents(page)).filter((e) => e.type === 'vod-upload-success')).toHaveLength(1);
});

test('a paused upload whose element is removed lets its lock go; the next element offers it to resume', async ({ page, server }) => {
  await countPageListeners(page);
  server.setFaults({ delayMs: 500 });
  const host = await openElementPage(page, server, { folder: 'paused-gone', 'attr-concurrency': '2' });
  const baseline = await listenersBeforeUploads(page);
  const name = uniqueName('paused-gone');
  await choose(page, [{ name, buffer: randomBytes(40 * server.sliceSize) }]);
  const row = host.locator('[part=file]');
  await expect(row).toHaveAttribute('data-status', 'uploading');
  await expect.poll(() => server.stats.paths[`/paused-gone/${name}`]?.bytesReceived ?? 0).toBeGreaterThan(0);
  await row.getByRole('button', { name: `Pause ${name}` }).click();
  await expect(row).toHaveAttribute('data-status', 'paused');
  expect(await heldLocks(page)).toHaveLength(1);

  await page.evaluate(() => document.querySelector('vod-uploader')!.remove());
  await expect.poll(() => heldLocks(page)).toEqual([]);
  await expect.poll(() => pageListeners(page)).toEqual(baseline);

  await addElement(page, server, 'paused-gone');
  await expect(page.locator('vod-uploader')).toContainText(name);
  expect((await recordedEvents(page)).filter((e) => e.type === 'vod-upload-restorable')).toHaveLength(1);
});

test('the uploads property is the same array until something changes', async ({ page, server }) => {
  const host = await openElementPage(page, server);
  const same = await host.evaluate((el: VodUploaderElement) => el.uploads === el.uploads && Object.isFrozen(el.uploads));
  expect(same).toBe(true);
  await choose(page, [{ name: uniqueName('identity'), buffer: randomBytes(1000) }]);
  await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'done');
  expect(await host.evaluate((el: VodUploaderElement) => el.uploads === el.uploads && el.uploads.length === 1)).toBe(true);
});

/** Closes the page as a user would (beforeunload runs); resolves with the dialogs it raised, dismissed (stay). */
async function tryToLeave(page: Page): Promise<string[]> {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.type());
    void dialog.dismiss();
  });
  await page.close({ runBeforeUnload: true });
  // The dialog (if any) arrives asynchronously; a page that did not ask is closed by then.
  await expect.poll(() => dialogs.length > 0 || page.isClosed()).toBe(true);
  return dialogs;
}

test('leaving while an upload is sent asks first; staying keeps it going; nothing is asked once it is done', async ({ page, server }) => {
  server.setFaults({ delayMs: 300 });
  const host = await openElementPage(page, server, { folder: 'leave' });
  // Browsers ask in beforeunload only on a page the user has interacted with.
  await page.getByRole('heading').click();
  const name = uniqueName('leave');
  const bytes = randomBytes(12 * server.sliceSize);
  await choose(page, [{ name, buffer: bytes }]);
  await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'uploading');

  expect(await tryToLeave(page)).toEqual(['beforeunload']);
  expect(page.isClosed()).toBe(false);
  server.setFaults({});
  await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'done');
  expect(server.stats.paths[`/leave/${name}`]!.sha).toBe(sha1(bytes));

  expect(await tryToLeave(page)).toEqual([]);
  expect(page.isClosed()).toBe(true);
});

test('no-leave-warning: leaving mid-upload does not ask', async ({ page, server }) => {
  server.setFaults({ delayMs: 300 });
  const host = await openElementPage(page, server, { folder: 'leave-quiet', 'attr-no-leave-warning': '' });
  await page.getByRole('heading').click();
  await choose(page, [{ name: uniqueName('leave-quiet'), buffer: randomBytes(12 * server.sliceSize) }]);
  await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'uploading');
  expect(await tryToLeave(page)).toEqual([]);
  expect(page.isClosed()).toBe(true);
});
