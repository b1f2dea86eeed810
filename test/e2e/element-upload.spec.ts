// <vod-uploader> end to end: a user chooses, drops or pastes a video; it is hashed, sent in slices
// to the real protocol server on another origin (CORS), and the server holds it with the right sha.
import { randomBytes } from 'node:crypto';
import { expect, test, uniqueName } from './helpers/server.js';
import { fileChooserFrom, elementPageUrl as pageUrl, recordedEvents as events, sha1 } from './helpers/element-page.js';

test('a chosen video is uploaded: progress then success, the server has it with the right sha', async ({ page, server }) => {
  const name = uniqueName('chosen');
  const bytes = randomBytes(3 * server.sliceSize + 12_345);
  await page.goto(pageUrl(server, { folder: 'e2e/choose' }));
  await page.locator('vod-uploader [part=input]').setInputFiles({ name, mimeType: 'video/mp4', buffer: bytes });

  const row = page.locator('vod-uploader [part=file]');
  await expect(row).toHaveCount(1);
  await expect(row.locator('.name')).toHaveText(name);
  await expect(row).toHaveAttribute('data-status', 'done');
  await expect(row.locator('[part=status] a')).toHaveAttribute('href', /\/files\/v1\//);

  const list = await events(page);
  const types = list.map((e) => e.type).filter((t, i, all) => t !== all[i - 1]);
  expect(types[0]).toBe('vod-upload-add');
  expect(types).toContain('vod-upload-start');
  expect(types.at(-1)).toBe('vod-upload-success');
  expect(types.indexOf('vod-upload-progress')).toBeGreaterThan(types.indexOf('vod-upload-start'));
  // Progress never goes backwards and ends at the whole file.
  const sent = list.filter((e) => e.type === 'vod-upload-progress').map((e) => e.uploadedBytes ?? 0);
  expect(sent).toEqual([...sent].sort((a, b) => a - b));
  // Throttled: at most one progress event per 200 ms per file, bar the last one of each phase
  // (hashing, uploading), which the engine flushes at the status change so no phase ends short.
  const progressTimes = list.filter((e) => e.type === 'vod-upload-progress').map((e) => e.at);
  const tooClose = progressTimes.filter((t, i) => i > 0 && t - progressTimes[i - 1]! < 190);
  expect(tooClose.length).toBeLessThanOrEqual(2);
  const success = list.find((e) => e.type === 'vod-upload-success')!;
  expect(success.instant).toBe(false);
  expect(success.resourcePath).toBe(`/e2e/choose/${name}`);

  const completed = server.stats.completedFiles.find((f) => f.path === `/e2e/choose/${name}`);
  expect(completed).toMatchObject({ sha: sha1(bytes), size: bytes.length, instant: false });
  // The uploader's own view of it.
  const uploads = await page.evaluate(() => document.querySelector('vod-uploader')!.uploads);
  expect(uploads[0]).toMatchObject({ status: 'done', sha: sha1(bytes), uploadedBytes: bytes.length });

  // The same bytes under another name: instant upload, nothing sent, said so in the row.
  const twin = uniqueName('twin');
  await page.locator('vod-uploader [part=input]').setInputFiles({ name: twin, mimeType: 'video/mp4', buffer: bytes });
  const twinRow = page.locator('vod-uploader [part=file]', { hasText: twin });
  await expect(twinRow).toHaveAttribute('data-status', 'done');
  await expect(twinRow.locator('.instant')).toBeVisible();
  expect(server.stats.paths[`/e2e/choose/${twin}`]?.bytesReceived ?? 0).toBe(0);
});

test('files dropped on the element (built in the page) upload; the drag highlight says when they are not videos', async ({ page, server }) => {
  const name = uniqueName('dropped');
  await page.goto(pageUrl(server));
  const host = page.locator('vod-uploader');
  await page.evaluate(() => customElements.whenDefined('vod-uploader'));

  // Dragging a PNG over the element: the drop zone says "Not a video".
  await host.evaluate((el) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(10)], 'photo.png', { type: 'image/png' }));
    el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true, composed: true }));
  });
  await expect(host.locator('[part=dropzone]')).toContainText('Not a video');
  await host.evaluate((el) => el.dispatchEvent(new DragEvent('dragleave', { bubbles: true, composed: true })));
  await expect(host.locator('[part=dropzone]')).not.toContainText('Not a video');

  await host.evaluate((el, fileName) => {
    const dt = new DataTransfer();
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) & 255);
    dt.items.add(new File([bytes], fileName, { type: 'video/mp4' }));
    el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true, composed: true }));
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true, composed: true }));
  }, name);
  await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'done');
  const expected = sha1(Buffer.from(new Uint8Array(300_000).map((_, i) => (i * 7) & 255)));
  expect(server.stats.completedFiles.find((f) => f.path === `/${name}`)?.sha).toBe(expected);
});

test('a pasted file is uploaded', async ({ page, server, browserName }) => {
  // Not a product gap: the test builds its paste in the page, and a real paste needs the OS clipboard.
  test.skip(browserName === 'firefox', "Firefox's ClipboardEvent constructor drops the clipboardData it is given (the event carries an empty DataTransfer)");
  const name = uniqueName('pasted');
  await page.goto(pageUrl(server));
  await page.evaluate(() => customElements.whenDefined('vod-uploader'));
  await page.locator('vod-uploader').evaluate((el, fileName) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(50_000).fill(3)], fileName, { type: 'video/webm' }));
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true, composed: true }));
  }, name);
  await expect(page.locator('vod-uploader [part=file]')).toHaveAttribute('data-status', 'done');
  expect(server.stats.completedFiles.some((f) => f.path === `/${name}`)).toBe(true);
});

test('the drop zone opens the chooser by keyboard: the input is focusable and labelled', async ({ page, server }) => {
  await page.goto(pageUrl(server));
  // In full parallel runs Enter sometimes opened no chooser. Chromium holds input to a page that
  // has not painted yet (PaintHolding; playwright#28023): make the page the active one and wait
  // until it has painted twice before pressing keys.
  await page.bringToFront();
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(null)))));
  await page.keyboard.press('Tab');
  const input = page.locator('vod-uploader [part=input]');
  await expect(input).toBeFocused();
  await expect(input).toHaveAccessibleName(/Drop videos here or choose files/);
  // "Chromium sometimes ignores the first key press" in loaded runs was Playwright's file-chooser
  // interception racing the key press (fileChooserFrom): with that race closed, one Enter must do.
  const fc = await fileChooserFrom(page, () => page.keyboard.press('Enter'));
  expect(fc.isMultiple()).toBe(true);
  const name = uniqueName('keyboard');
  await fc.setFiles({ name, mimeType: 'video/mp4', buffer: randomBytes(20_000) });
  await expect(page.locator('vod-uploader [part=file]')).toHaveAttribute('data-status', 'done');
});
