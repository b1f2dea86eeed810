// <vod-uploader> after a reload in the middle of an upload: the unfinished upload is listed, the
// user chooses the same file again, and it goes on from where the server is (little is re-sent).
import { expect, test } from './helpers/server.js';
import { makeTestFile } from './helpers/files.js';
import { openElementPage, recordedEvents } from './helpers/element-page.js';

test('reload mid-upload, choose the file again: it continues, the server gets each byte about once', async ({ page, server }) => {
  const file = makeTestFile(40 * server.sliceSize);
  try {
    const name = file.path.split(/[\\/]/).pop()!;
    const path = `/resume/${name}`;
    server.setFaults({ delayMs: 500 });
    const host = await openElementPage(page, server, { dir: 'resume' });
    await page.locator('vod-uploader [part=input]').setInputFiles(file.path);
    await expect.poll(() => server.stats.paths[path]?.bytesReceived ?? 0, { timeout: 30_000 }).toBeGreaterThanOrEqual(4 * server.sliceSize);
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
    await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
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
