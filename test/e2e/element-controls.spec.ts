// <vod-uploader> controls end to end: pause and resume, cancel, an error with the retry button,
// retrying after server trouble, and the validation notices.
import { randomBytes } from 'node:crypto';
import type { VodUploaderElement } from '../../src/index.js';
import { expect, test, uniqueName } from './helpers/server.js';
import { choose, openElementPage, recordedEvents, sha1 } from './helpers/element-page.js';

test('pause stops sending, resume goes on from where the server is', async ({ page, server }) => {
  server.setFaults({ delayMs: 250 });
  const name = uniqueName('pause');
  // Enough slow slices that a loaded machine cannot finish the upload before the click lands (the
  // Pause button goes with the last slice, and a click waiting for it then times out).
  const bytes = randomBytes(32 * server.sliceSize);
  const host = await openElementPage(page, server);
  await choose(page, [{ name, buffer: bytes }]);
  const row = host.locator('[part=file]');
  await expect(row).toHaveAttribute('data-status', 'uploading');
  await expect.poll(() => server.stats.paths[`/${name}`]?.bytesReceived ?? 0).toBeGreaterThan(0);

  await row.getByRole('button', { name: `Pause ${name}` }).click();
  await expect(row).toHaveAttribute('data-status', 'paused');
  await expect(row.locator('[part=status]')).toHaveText('Paused');
  await expect(host.getByRole('status')).toHaveText(`${name}: paused`);
  // Nothing more arrives while paused (requests in flight when pausing were aborted or finished).
  await page.waitForTimeout(400);
  const atPause = server.stats.paths[`/${name}`]!.bytesReceived;
  await page.waitForTimeout(800);
  expect(server.stats.paths[`/${name}`]!.bytesReceived).toBe(atPause);
  expect(atPause).toBeLessThan(bytes.length);

  server.setFaults({});
  await row.getByRole('button', { name: `Resume ${name}` }).click();
  await expect(row).toHaveAttribute('data-status', 'done');
  const stats = server.stats.paths[`/${name}`]!;
  expect(stats.sha).toBe(sha1(bytes));
  // Resuming re-sends at most the slices that were in flight at the pause.
  expect(stats.bytesDuplicate).toBeLessThanOrEqual(3 * server.sliceSize);
  const types = (await recordedEvents(page)).map((e) => e.type);
  expect(types.indexOf('vod-upload-pause')).toBeLessThan(types.indexOf('vod-upload-resume'));
  expect(types.indexOf('vod-upload-resume')).toBeLessThan(types.indexOf('vod-upload-success'));
});

test('a running row keeps its elements while progress ticks: the Pause button a user aims at is the one clicked', async ({ page, server }) => {
  // Many slow slices, so the upload is still running after the ticks and at the click (with 24, a
  // loaded Firefox run finished it in between: the button went with the last slice, as it should).
  server.setFaults({ delayMs: 400 });
  test.setTimeout(120_000); // a loaded Firefox run took 52 s of the default 60
  const name = uniqueName('steady');
  const host = await openElementPage(page, server);
  await choose(page, [{ name, buffer: randomBytes(64 * server.sliceSize) }]);
  const row = host.locator('[part=file]');
  await expect(row).toHaveAttribute('data-status', 'uploading');
  const pause = row.getByRole('button', { name: `Pause ${name}` });
  const aimedAt = await pause.elementHandle();
  const rowElement = await row.elementHandle();
  const sent = (): Promise<number[]> =>
    page.evaluate(() => [...new Set(window.vodEvents.filter((e) => e.type === 'vod-upload-progress').map((e) => e.uploadedBytes ?? 0))]);
  const sentBefore = (await sent()).length;
  // Three more slices acknowledged: the row was rendered again with new figures each time.
  await expect.poll(async () => (await sent()).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(sentBefore + 3);
  await expect(row).toHaveAttribute('data-status', 'uploading');
  expect(await pause.evaluate((button, earlier) => button === earlier, aimedAt)).toBe(true);
  expect(await row.evaluate((li, earlier) => li === earlier, rowElement)).toBe(true);
  // The click goes to that very element (Playwright would re-resolve a replaced one).
  await aimedAt!.click();
  await expect(row).toHaveAttribute('data-status', 'paused');
});

test('cancel stops the upload and the row can be removed', async ({ page, server }) => {
  server.setFaults({ delayMs: 300 });
  const name = uniqueName('cancel');
  const host = await openElementPage(page, server);
  await choose(page, [{ name, buffer: randomBytes(12 * server.sliceSize) }]);
  const row = host.locator('[part=file]');
  await expect(row).toHaveAttribute('data-status', 'uploading');
  await row.getByRole('button', { name: `Cancel ${name}` }).click();
  await expect(row).toHaveAttribute('data-status', 'cancelled');
  await expect(row.locator('[part=status]')).toHaveText('Cancelled');
  expect((await recordedEvents(page)).some((e) => e.type === 'vod-upload-cancel')).toBe(true);
  expect(server.stats.paths[`/${name}`]?.completed ?? 0).toBe(0);
  await row.getByRole('button', { name: `Remove ${name} from the list` }).click();
  await expect(host.locator('[part=file]')).toHaveCount(0);
});

test('server trouble: "retrying in N s", then an error in plain words with its code, then Retry finishes it', async ({ page, server }) => {
  // Fake timers make the engine's backoff (up to 30 s a step) pass at once; fetch and the worker stay real.
  await page.clock.install();
  const host = await openElementPage(page, server);
  server.setFaults({ errorRate: 1 });
  const name = uniqueName('retry');
  const bytes = randomBytes(2 * server.sliceSize + 99);
  await choose(page, [{ name, buffer: bytes }]);
  const row = host.locator('[part=file]');
  await expect(row).toHaveAttribute('data-status', 'retrying');
  // The injected fault is JSON with a code (-5997) or an HTML error page (bad-response), at random.
  await expect(row.locator('[part=status]')).toHaveText(/^Retrying in \d+ seconds? \(code (-?\d+|bad-response)\)$/);
  await expect
    .poll(async () => {
      await page.clock.fastForward(31_000);
      return row.getAttribute('data-status');
    })
    .toBe('error');
  const status = row.locator('[part=status]');
  await expect(status).toHaveText(/^The upload server is having trouble\. Try again in a moment\. \(code -?[\w-]+\)$/);
  expect((await recordedEvents(page)).filter((e) => e.type === 'vod-upload-retry').length).toBeGreaterThan(1);
  await expect(host.getByRole('status')).toContainText(`${name}: failed.`);

  server.setFaults({});
  await row.getByRole('button', { name: `Retry ${name}` }).click();
  await expect
    .poll(async () => {
      await page.clock.fastForward(1000);
      return row.getAttribute('data-status');
    })
    .toBe('done');
  expect(server.stats.paths[`/${name}`]?.sha).toBe(sha1(bytes));
});

test('a different file at a taken path is a terminal error, said in plain words with the code', async ({ page, server }) => {
  const name = uniqueName('taken');
  const host = await openElementPage(page, server, { folder: 'taken' });
  await choose(page, [{ name, buffer: randomBytes(1000) }]);
  await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'done');
  await host.evaluate((el: VodUploaderElement) => el.clear());
  await choose(page, [{ name, buffer: randomBytes(1000) }]);
  const row = host.locator('[part=file]');
  await expect(row).toHaveAttribute('data-status', 'error');
  await expect(row.locator('[part=status]')).toHaveText('A file with this name already exists on the server. (code -4018)');
  await expect(row.getByRole('button', { name: /^Retry/ })).toHaveCount(0);
});

test('validation: the refusals of one pick are one notice (each file behind it), a vod-upload-reject per file; the good one uploads', async ({ page, server }) => {
  const host = await openElementPage(page, server, { 'attr-max-size': '100000', 'attr-max-files': '2' });
  const good = uniqueName('good');
  await choose(page, [
    { name: good, buffer: randomBytes(5000) },
    { name: 'big.mp4', buffer: randomBytes(100_001) },
    { name: 'photo.png', buffer: randomBytes(10), mimeType: 'image/png' },
    { name: 'empty.mp4', buffer: Buffer.alloc(0) },
  ]);
  await expect(host.locator('[part=file]')).toHaveCount(1);
  await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'done');
  const notices = host.locator('.notice');
  await expect(notices).toHaveCount(1);
  await expect(notices.nth(0).locator('span')).toHaveText('3 files were not added: 1 not of an accepted type, 1 over 97.7 KB, and 1 empty.');
  await notices.nth(0).locator('summary').click();
  const details = notices.nth(0).locator('[part=notice-details] li');
  await expect(details.nth(0)).toHaveText('“big.mp4” is 100,001 B; the limit is 100,000 B.');
  await expect(details.nth(1)).toHaveText('“photo.png” is not an accepted type (video/*).');
  await expect(details.nth(2)).toContainText('“empty.mp4” is empty (0 bytes)');
  const rejects = (await recordedEvents(page)).filter((e) => e.type === 'vod-upload-reject');
  expect(rejects.map((e) => e.reason)).toEqual(['too-large', 'wrong-type', 'empty']);
  expect(rejects[0]!.message).toContain('big.mp4');

  // The same file again is a duplicate; two more exceed max-files=2.
  await choose(page, [
    { name: uniqueName('second'), buffer: randomBytes(10) },
    { name: uniqueName('third'), buffer: randomBytes(10) },
  ]);
  await expect(notices).toHaveCount(2);
  await expect(notices.nth(1)).toContainText('at most 2 files');

  await notices.nth(0).getByRole('button', { name: 'Dismiss' }).click();
  await expect(notices).toHaveCount(1);
  await expect(host.locator('[part=file]').first()).toHaveAttribute('data-status', 'done');
});
