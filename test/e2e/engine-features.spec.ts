// What some engines lack or report differently, reproduced in Chromium by an init script, and what
// <vod-uploader> does then: a duration of 0 (WebKit, for a file it cannot play) is not shown; a page
// without navigator.storage (WebKitGTK) uploads with no warning and no error; where IndexedDB cannot
// keep a FileSystemFileHandle, a reload asks for the file again and promises no "Resume".
import { randomBytes } from 'node:crypto';
import { expect, test, uniqueName } from './helpers/server.js';
import type { VodUploaderElement } from '../../src/index.js';
import { choose, openElementPage, sha1 } from './helpers/element-page.js';
import { storedSessions } from './helpers/faults.js';
import { addRecordedVideo } from './helpers/video.js';

test('a video whose duration the engine reports as 0 shows no duration; one it knows shows it', async ({ page, server }) => {
  // WebKit's answer for a file it cannot play: loadedmetadata with duration 0 and no picture. Here the
  // first video extracted gets that answer, the second (the control) a known 65 s. Extraction runs one
  // file at a time in the order added, so once the second row shows its duration the first is final.
  await page.addInitScript(() => {
    const answers = [0, 65];
    const given = new WeakMap<HTMLMediaElement, number>();
    Object.defineProperty(HTMLMediaElement.prototype, 'duration', {
      configurable: true,
      get(this: HTMLMediaElement) {
        if (!given.has(this)) given.set(this, answers.shift() ?? 0);
        return given.get(this);
      },
    });
    Object.defineProperty(HTMLVideoElement.prototype, 'videoWidth', { configurable: true, get: () => 0 });
  });
  const host = await openElementPage(page, server);
  const unknown = uniqueName('unknown-duration', '.webm');
  const known = uniqueName('known-duration', '.webm');
  await addRecordedVideo(host, unknown);
  await addRecordedVideo(host, known);
  const row = (name: string) => host.locator('[part=file]', { hasText: name });
  await expect(row(known)).toContainText('Duration 1:05', { timeout: 20_000 });
  await expect(row(unknown)).toHaveAttribute('data-status', 'done');
  await expect(row(unknown)).not.toContainText('Duration');
});

test('without navigator.storage the upload completes, with no warning and no page error', async ({ page, server }) => {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.addInitScript(() => {
    delete (Navigator.prototype as { storage?: unknown }).storage;
    document.addEventListener('vod-upload-warning', (e) => {
      console.error(`vod-upload-warning ${(e as CustomEvent<{ error: { code: string } }>).detail.error.code}`);
    });
  });
  const host = await openElementPage(page, server);
  expect(await page.evaluate(() => 'storage' in navigator)).toBe(false);
  const name = uniqueName('no-storage');
  const bytes = randomBytes(3 * server.sliceSize + 5);
  await choose(page, [{ name, buffer: bytes }]);
  await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'done');
  expect(server.stats.completedFiles.find((f) => f.path === `/${name}`)?.sha).toBe(sha1(bytes));
  expect(problems).toEqual([]);
});

test('where IndexedDB cannot keep the file handle, a reload asks for the file again and offers no Resume', async ({ page, server }) => {
  test.setTimeout(120_000);
  // IndexedDB refuses to clone a session that carries a handle (the store then keeps it without one).
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if ((value as { session?: { handle?: unknown } } | undefined)?.session?.handle) {
        throw new DOMException('The handle cannot be cloned', 'DataCloneError');
      }
      return put.call(this, value, key);
    };
  });
  server.setFaults({ delayMs: 300 });
  const host = await openElementPage(page, server);
  const name = uniqueName('unkept-handle');
  const size = 20 * server.sliceSize;
  await host.evaluate(
    async (el: VodUploaderElement, { name, size }) => {
      const handle = await (await navigator.storage.getDirectory()).getFileHandle(name, { create: true });
      const writable = await handle.createWritable();
      await writable.write(new Uint8Array(size).fill(7));
      await writable.close();
      await el.addFiles([{ file: await handle.getFile(), handle }]);
    },
    { name, size },
  );
  await expect.poll(() => server.stats.paths[`/${name}`]?.bytesReceived ?? 0, { timeout: 60_000 }).toBeGreaterThan(0);
  // The session (without its handle) is in IndexedDB before the reload, however loaded the machine.
  await expect.poll(async () => (await storedSessions(page)).some((r) => r.name === name && r.session), { timeout: 30_000 }).toBe(true);
  await page.reload();
  const item = host.locator('.restorable-item');
  await expect(item).toContainText(`Choose “${name}”`);
  await expect(item).toContainText('again to go on');
  await page.waitForTimeout(500); // a stored handle would have turned the hint into a button by now
  await expect(host.getByRole('button', { name: `Resume ${name}` })).toHaveCount(0);
});
