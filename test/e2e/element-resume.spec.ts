// <vod-uploader> after a reload in the middle of an upload: the unfinished upload is listed, the
// user chooses the same file again, and it goes on from where the server is (little is re-sent).
import type { VodUploaderElement } from '../../src/index.js';
import { expect, test } from './helpers/server.js';
import { makeTestFile } from './helpers/files.js';
import { openElementPage, recordedEvents } from './helpers/element-page.js';

test('reload mid-upload, choose the file again: it continues, the server gets each byte about once', async ({ page, server }) => {
  test.setTimeout(120_000);
  const file = makeTestFile(40 * server.sliceSize);
  try {
    const name = file.path.split(/[\\/]/).pop()!;
    const path = `/resume/${name}`;
    server.setFaults({ delayMs: 500 });
    const host = await openElementPage(page, server, { folder: 'resume' });
    await page.locator('vod-uploader [part=input]').setInputFiles(file.path);
    await expect.poll(() => server.stats.paths[path]?.bytesReceived ?? 0, { timeout: 60_000 }).toBeGreaterThanOrEqual(2 * server.sliceSize);
    // Let the session store write what the server acknowledged (writes are coalesced, flushed on pagehide).
    await page.waitForTimeout(300);
    await page.reload();
    await page.evaluate(() => customElements.whenDefined('vod-uploader'));
    const before = server.stats.paths[path]!.bytesReceived;
    expect(before).toBeLessThan(file.size);

    const item = host.locator('.restorable-item');
    await expect(item).toHaveCount(1);
    await expect(item.locator('.name')).toHaveText(name);
    await expect(item).toContainText(`Choose “${name}” (10 MB) again to go on.`);
    expect((await recordedEvents(page)).some((e) => e.type === 'vod-upload-restorable')).toBe(true);

    server.setFaults({});
    await page.locator('vod-uploader [part=input]').setInputFiles(file.path);
    await expect(host.locator('.restorable-item')).toHaveCount(0);
    await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    const stats = server.stats.paths[path]!;
    expect(stats.sha).toBe(file.sha1);
    // Only what was in flight at the reload is sent twice: at most a few slices.
    expect(stats.bytesDuplicate).toBeLessThanOrEqual(4 * server.sliceSize);
    expect(stats.bytesReceived - stats.bytesDuplicate).toBe(file.size);
    expect(stats.bytesReceived - before).toBeLessThan(file.size - before + 4 * server.sliceSize);
  } finally {
    file.cleanup();
  }
});

test('with a stored file handle, a reload offers "Resume" and goes on without the chooser', async ({ page, server }) => {
  // Generous: on a loaded 2-core machine the slow-server phase alone can take tens of seconds.
  test.setTimeout(120_000);
  server.setFaults({ delayMs: 500 });
  const host = await openElementPage(page, server, { folder: 'handle' });
  const name = `handle-${Date.now().toString(36)}.mp4`;
  const size = 40 * server.sliceSize;
  // A real FileSystemFileHandle without a picker: a file in the origin-private file system.
  await host.evaluate(
    async (el: VodUploaderElement, { name, size }) => {
      const dir = await navigator.storage.getDirectory();
      const handle = await dir.getFileHandle(name, { create: true });
      const writable = await handle.createWritable();
      const bytes = new Uint8Array(size);
      for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, Math.min(size, i + 65536)));
      await writable.write(bytes);
      await writable.close();
      await el.addFiles([{ file: await handle.getFile(), handle }]);
    },
    { name, size },
  );
  const path = `/handle/${name}`;
  await expect.poll(() => server.stats.paths[path]?.bytesReceived ?? 0, { timeout: 60_000 }).toBeGreaterThanOrEqual(2 * server.sliceSize);
  await page.waitForTimeout(300);
  await page.reload();
  const before = server.stats.paths[path]!.bytesReceived;
  expect(before).toBeLessThan(size);

  server.setFaults({});
  const resume = host.getByRole('button', { name: `Resume ${name}` });
  await resume.click();
  await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(host.locator('.restorable-item')).toHaveCount(0);
  const stats = server.stats.paths[path]!;
  expect(stats.bytesReceived - stats.bytesDuplicate).toBe(size);
  expect(stats.bytesDuplicate).toBeLessThanOrEqual(4 * server.sliceSize);
  const sha = await host.evaluate((el: VodUploaderElement) => el.uploads[0]!.sha);
  expect(stats.sha).toBe(sha);
});
