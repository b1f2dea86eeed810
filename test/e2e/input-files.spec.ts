// Files that go bad after they were chosen, end to end: rewritten on disk (other size and mtime),
// deleted before the start, deleted in the middle of the upload, and a different file at a path the
// server already holds (-4018). Each ends in a clear message in the row AND a vod-upload-error event,
// while another upload running at the same time finishes.
import { randomBytes } from 'node:crypto';
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, uniqueName, type TestServer } from './helpers/server.js';
import { choose, openElementPage, recordUploadErrors, sha1, uploadErrors, type UploadErrorRecord } from './helpers/element-page.js';

const errors = (page: Page): Promise<UploadErrorRecord[]> => uploadErrors(page, 'vod-upload-error');

function tempFile(name: string, bytes: Buffer): { path: string; cleanup: () => void } {
  const path = join(tmpdir(), name);
  writeFileSync(path, bytes);
  return { path, cleanup: () => rmSync(path, { force: true }) };
}

/** A second upload to the real server, started now; the test checks it finishes with its sha. */
async function companion(page: Page, server: TestServer): Promise<() => Promise<void>> {
  const name = uniqueName('companion');
  const bytes = randomBytes(6 * server.sliceSize + 5);
  await choose(page, [{ name, buffer: bytes }]);
  const row = page.locator('vod-uploader [part=file]', { hasText: name });
  return async () => {
    await expect(row).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
    expect(server.stats.completedFiles.find((f) => f.path.endsWith(`/${name}`))?.sha).toBe(sha1(bytes));
  };
}

// Firefox's File is no snapshot (it reads the bytes on disk now, keeps the old size and mtime, and
// says nothing): hash-core sees a shrunk file read short anywhere, and a grown one only where it reads
// the File itself to its end (the stream reader from byte 0); a slice stops at the old size.
for (const [how, slices, extra] of [['grown', 5, 7], ['shrunk', 1, 3]] as const) {
  test(`a file rewritten on disk after it was chosen (${how}, other mtime) stops with a file error; chosen again it uploads`, async ({ page, server }) => {
    await recordUploadErrors(page);
    const name = uniqueName('rewritten');
    const file = tempFile(name, randomBytes(4 * server.sliceSize));
    try {
      const host = await openElementPage(page, server, { 'attr-manual': '' });
      await page.locator('vod-uploader [part=input]').setInputFiles(file.path);
      const row = host.locator('[part=file]', { hasText: name });
      await expect(row).toHaveAttribute('data-status', 'queued');
      // Rewritten: another size and, a moment later, another mtime.
      const changed = randomBytes(slices * server.sliceSize + extra);
      writeFileSync(file.path, changed);
      utimesSync(file.path, new Date(), new Date(Date.now() + 5000));
      await host.evaluate((el) => el.removeAttribute('manual'));
      const done = await companion(page, server);
      await host.evaluate((el: HTMLElement & { start(): void }) => el.start());

      await expect(row).toHaveAttribute('data-status', 'error');
      await expect(row.locator('[part=status]')).toHaveText(/^The file could not be read; it may have been moved or changed\. \(code [\w-]+\)$/);
      const [error] = await errors(page);
      expect(error).toMatchObject({ name, kind: 'file', retryable: false });
      expect(error!.message).toMatch(/could not be read/);
      // No byte of the stale selection reached the server.
      expect(server.stats.paths[`/${name}`]?.bytesReceived ?? 0).toBe(0);
      await done();

      // Chosen again, the new content uploads.
      await row.getByRole('button', { name: `Remove ${name} from the list` }).click();
      await page.locator('vod-uploader [part=input]').setInputFiles(file.path);
      await expect(host.locator('[part=file]', { hasText: name })).toHaveAttribute('data-status', 'done');
      expect(server.stats.completedFiles.find((f) => f.path === `/${name}`)?.sha).toBe(sha1(changed));
    } finally {
      file.cleanup();
    }
  });
}

test('a file deleted before the start: file error, nothing sent; the other upload finishes', async ({ page, server }) => {
  await recordUploadErrors(page);
  const name = uniqueName('deleted');
  const file = tempFile(name, randomBytes(3 * server.sliceSize));
  try {
    const host = await openElementPage(page, server, { 'attr-manual': '' });
    await page.locator('vod-uploader [part=input]').setInputFiles(file.path);
    const row = host.locator('[part=file]', { hasText: name });
    await expect(row).toHaveAttribute('data-status', 'queued');
    file.cleanup();
    await host.evaluate((el) => el.removeAttribute('manual'));
    const done = await companion(page, server);
    await host.evaluate((el: HTMLElement & { start(): void }) => el.start());
    await expect(row).toHaveAttribute('data-status', 'error');
    await expect(row.locator('[part=status]')).toContainText('The file could not be read');
    expect((await errors(page)).find((e) => e.name === name)).toMatchObject({ kind: 'file', retryable: false });
    expect(server.stats.paths[`/${name}`]).toBeUndefined();
    await done();
  } finally {
    file.cleanup();
  }
});

test('a file deleted in the middle of the upload: a file error, not endless network retries', async ({ page, server }) => {
  await recordUploadErrors(page);
  const name = uniqueName('vanishing');
  const file = tempFile(name, randomBytes(24 * server.sliceSize));
  try {
    server.setFaults({ delayMs: 300 });
    const host = await openElementPage(page, server);
    await page.locator('vod-uploader [part=input]').setInputFiles(file.path);
    const row = host.locator('[part=file]', { hasText: name });
    await expect.poll(() => server.stats.paths[`/${name}`]?.bytesReceived ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
    file.cleanup();
    const done = await companion(page, server);
    server.setFaults({});
    await expect(row).toHaveAttribute('data-status', 'error', { timeout: 30_000 });
    await expect(row.locator('[part=status]')).toContainText('The file could not be read');
    expect((await errors(page)).find((e) => e.name === name)).toMatchObject({ kind: 'file' });
    expect(server.stats.paths[`/${name}`]?.completed ?? 0).toBe(0);
    await done();
  } finally {
    file.cleanup();
  }
});

test('-4018: a different file at a path the server holds is a terminal error in the row and the event', async ({ page, server }) => {
  await recordUploadErrors(page);
  const host = await openElementPage(page, server, { folder: 'input/taken' });
  const name = uniqueName('x');
  const a = randomBytes(2 * server.sliceSize + 1);
  await choose(page, [{ name, buffer: a }]);
  await expect(host.locator('[part=file]', { hasText: name })).toHaveAttribute('data-status', 'done');
  await host.evaluate((el: HTMLElement & { clear(): void }) => el.clear());
  const done = await companion(page, server);
  await choose(page, [{ name, buffer: randomBytes(2 * server.sliceSize + 1) }]);
  const row = host.locator('[part=file]', { hasText: name });
  await expect(row).toHaveAttribute('data-status', 'error');
  await expect(row.locator('[part=status]')).toHaveText('A file with this name already exists on the server. (code -4018)');
  await expect(row.getByRole('button', { name: /^Retry/ })).toHaveCount(0);
  const error = (await errors(page)).find((e) => e.name === name);
  expect(error).toMatchObject({ code: -4018, kind: 'server', retryable: false });
  expect(error!.message).toMatch(/already exists/);
  // The server still holds A.
  expect(server.stats.paths[`/input/taken/${name}`]?.sha).toBe(sha1(a));
  await done();
});

test('reload mid-upload, the file replaced on disk (same name and size), chosen again: the new content is uploaded, nothing of the old trusted', async ({ page, server }) => {
  await recordUploadErrors(page);
  const name = uniqueName('replaced');
  const size = 24 * server.sliceSize;
  const file = tempFile(name, randomBytes(size));
  try {
    server.setFaults({ delayMs: 300 });
    const host = await openElementPage(page, server, { folder: 'input/replaced' });
    await page.locator('vod-uploader [part=input]').setInputFiles(file.path);
    await expect.poll(() => server.stats.paths[`/input/replaced/${name}`]?.bytesReceived ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
    // Wait until the session store holds acknowledged bytes, so the reload has something to offer.
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            new Promise<boolean>((resolve) => {
              const request = indexedDB.open('vod-uploader');
              request.onsuccess = () => {
                const all = request.result.transaction('sessions').objectStore('sessions').getAll();
                all.onsuccess = () => resolve(JSON.stringify(all.result).includes('"acked":[['));
                all.onerror = () => resolve(false);
              };
              request.onerror = () => resolve(false);
            }),
        ),
      )
      .toBe(true);
    await page.reload();
    await expect(host.locator('.restorable-item')).toHaveCount(1);

    const replacement = randomBytes(size);
    writeFileSync(file.path, replacement);
    server.setFaults({});
    await page.locator('vod-uploader [part=input]').setInputFiles(file.path);
    await expect(host.locator('.restorable-item')).toHaveCount(0);
    await expect(host.locator('[part=file]', { hasText: name })).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
    expect(server.stats.paths[`/input/replaced/${name}`]?.sha).toBe(sha1(replacement));
    expect(await errors(page)).toEqual([]);
  } finally {
    file.cleanup();
  }
});
