// `concurrency` is a cap: with the server adding 50 ms to every request (where the engine used to
// climb past the option), the server itself never sees more upload requests at once than the
// attribute allows. Real Chromium, the real demo server on another origin.
import { elementPageUrl } from './helpers/element-page.js';
import { expect, KiB, suiteResources, test } from './helpers/faults.js';

test.describe('concurrency cap', () => {
  const resources = suiteResources();

  test('concurrency="3" at 50 ms per request: at most 3 upload requests open on the server, completes', async ({ page }) => {
    const server = await resources.server({ sliceSize: 64 * KiB });
    server.setFaults({ delayMs: 50 });
    // 80 slices: ten streaks of good slices, enough for the adaptive rule to step up if it could.
    const file = resources.file(80 * server.sliceSize + 3);
    await page.goto(elementPageUrl(server, { folder: 'cap', 'attr-concurrency': '3' }));
    await page.evaluate(() => customElements.whenDefined('vod-uploader'));
    await page.locator('vod-uploader [part=input]').setInputFiles(file.path);
    await expect(page.locator('vod-uploader [part=file]')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    const path = `/cap/${file.path.split(/[\\/]/).pop()}`;
    expect(server.stats.paths[path]?.sha).toBe(file.sha1);
    expect(server.stats.maxConcurrentUploadRequests).toBeLessThanOrEqual(3);
    // Parallel slices did happen: the cap is reached, not avoided.
    expect(server.stats.maxConcurrentUploadRequests).toBe(3);
    expect(server.maxOpen(path)).toBe(3);
  });
});

test.describe('files in parallel (issue 14)', () => {
  const resources = suiteResources();

  for (const parallel of [1, 3]) {
    test(`parallel-files="${parallel}" at 50 ms per request: ${parallel} file(s) starting at once, all complete`, async ({ page }) => {
      const server = await resources.server({ sliceSize: 64 * KiB });
      server.setFaults({ delayMs: 50 });
      // concurrency 1: each sending file has one request open, so the server's most open requests
      // is the number of files sending at once, plus (above 1) the files that only wait for the
      // answer to their last slice, whose place the next file took (upload-flow.ts, handOverSendSlot).
      const files = Array.from({ length: 5 }, (_, i) => resources.file(3 * server.sliceSize + i, i + 1));
      await page.goto(elementPageUrl(server, { folder: 'par', 'attr-concurrency': '1', 'attr-parallel-files': String(parallel), 'attr-multiple': '' }));
      await page.evaluate(() => customElements.whenDefined('vod-uploader'));
      await page.locator('vod-uploader [part=input]').setInputFiles(files.map((f) => f.path));
      const rows = page.locator('vod-uploader [part=file]');
      await expect(rows).toHaveCount(5);
      for (let i = 0; i < 5; i++) await expect(rows.nth(i)).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
      for (const f of files) expect(server.stats.paths[`/par/${f.path.split(/[\\/]/).pop()}`]?.sha).toBe(f.sha1);
      // Above 1 the next file's first request overlaps a file's last slice: more than `parallel` open.
      if (parallel === 1) expect(server.stats.maxConcurrentUploadRequests).toBe(1);
      else expect(server.stats.maxConcurrentUploadRequests).toBeGreaterThan(parallel);
    });
  }
});
