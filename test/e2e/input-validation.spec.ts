// Bad picks, end to end: each refused file gets a notice in the element AND a vod-upload-reject
// event with the same words, while another upload that was already running finishes untouched.
// Also the names that must NOT be refused: unicode, spaces, #?%&+, leading dots and long names upload
// fine and the server stores them under the decoded name; a server that refuses a name is heard.
import { randomBytes } from 'node:crypto';
import { writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, uniqueName, type TestServer } from './helpers/server.js';
import { choose, openElementPage, sha1 } from './helpers/element-page.js';

interface Reject {
  name: string;
  reason: string;
  message: string;
}

/** Records every reject and error with its full detail (the page's own log keeps less). */
async function recordDetails(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { rejects: Reject[]; errors: Array<{ name: string; code: string | number; message: string }> };
    w.rejects = [];
    w.errors = [];
    document.addEventListener('vod-upload-reject', (e) => {
      const d = (e as CustomEvent<{ file: File; reason: string; message: string }>).detail;
      w.rejects.push({ name: d.file.name, reason: d.reason, message: d.message });
    });
    document.addEventListener('vod-upload-error', (e) => {
      const d = (e as CustomEvent<{ upload: { name: string }; error: { code: string | number; message: string } }>).detail;
      w.errors.push({ name: d.upload.name, code: d.error.code, message: d.error.message });
    });
  });
}

const rejects = (page: Page): Promise<Reject[]> => page.evaluate(() => (window as unknown as { rejects: Reject[] }).rejects);
const errors = (page: Page): Promise<unknown[]> => page.evaluate(() => (window as unknown as { errors: unknown[] }).errors);

/** Starts a slow upload that stays running while the test does other things; returns its bytes. */
async function startBackground(page: Page, server: TestServer, name: string): Promise<Buffer> {
  server.setFaults({ delayMs: 200 });
  const bytes = randomBytes(10 * server.sliceSize);
  await choose(page, [{ name, buffer: bytes }]);
  await expect(page.locator('vod-uploader [part=file]', { hasText: name })).toHaveAttribute('data-status', 'uploading');
  return bytes;
}

test('refused picks: notice + reject event for each, one upload for a file chosen twice; the running upload finishes', async ({ page, server }) => {
  await recordDetails(page);
  const host = await openElementPage(page, server, { folder: 'input/val', 'attr-max-files': '3' });
  const background = uniqueName('background');
  const bgBytes = await startBackground(page, server, background);
  // Limits set after the background file joined (it is bigger than this limit).
  await host.evaluate((el) => el.setAttribute('max-size', '200000'));

  const notices = host.locator('.notice');
  const expectRefused = async (count: number, name: string, reason: string, words: RegExp): Promise<void> => {
    await expect(notices).toHaveCount(count);
    const last = (await rejects(page)).at(-1)!;
    expect(last).toMatchObject({ name, reason });
    expect(last.message).toMatch(words);
    // The UI says exactly what the event says, with the file's name in it.
    await expect(notices.nth(count - 1).locator('span')).toHaveText(last.message);
    expect(last.message).toContain(name);
  };

  await choose(page, [{ name: 'empty.mp4', buffer: Buffer.alloc(0) }]);
  await expectRefused(1, 'empty.mp4', 'empty', /empty \(0 bytes\)/);
  await choose(page, [{ name: 'big.mp4', buffer: randomBytes(200_001) }]);
  // One byte over: rounded sizes would read "195 KB; the limit is 195 KB", so exact bytes are shown.
  await expectRefused(2, 'big.mp4', 'too-large', /^“big\.mp4” is 200,001 B; the limit is 200,000 B\.$/);
  await choose(page, [{ name: 'photo.png', buffer: randomBytes(100), mimeType: 'image/png' }]);
  await expectRefused(3, 'photo.png', 'wrong-type', /not an accepted type \(video\/\*\)/);

  // The same file on disk chosen twice (same name, size and modification time): one row, one upload.
  const twiceName = uniqueName('twice');
  const twicePath = join(tmpdir(), twiceName);
  const twiceBytes = randomBytes(50_000);
  writeFileSync(twicePath, twiceBytes);
  try {
    await page.locator('vod-uploader [part=input]').setInputFiles(twicePath);
    await page.locator('vod-uploader [part=input]').setInputFiles(twicePath);
    await expectRefused(4, twiceName, 'duplicate', /already in the list/);
    await expect(host.locator('[part=file]', { hasText: twiceName })).toHaveCount(1);
    await expect(host.locator('[part=file]', { hasText: twiceName })).toHaveAttribute('data-status', 'done');
  } finally {
    rmSync(twicePath, { force: true });
  }

  // max-files=3: background + twice are in; of two more, one joins and one is refused.
  const fits = uniqueName('fits');
  const over = uniqueName('over');
  await choose(page, [
    { name: fits, buffer: randomBytes(1000) },
    { name: over, buffer: randomBytes(1000) },
  ]);
  await expectRefused(5, over, 'too-many', /at most 3 files/);

  // Nothing refused reached the server; the others, and the running upload, finished right.
  server.setFaults({});
  await expect(host.locator('[part=file]', { hasText: background })).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(host.locator('[part=file]', { hasText: fits })).toHaveAttribute('data-status', 'done');
  const completed = server.stats.completedFiles.filter((f) => f.path.startsWith('/input/val/'));
  expect(completed.find((f) => f.path === `/input/val/${background}`)?.sha).toBe(sha1(bgBytes));
  expect(completed.filter((f) => f.path === `/input/val/${twiceName}`)).toHaveLength(1);
  expect(server.stats.paths[`/input/val/${twiceName}`]?.createRequests).toBe(1);
  expect(server.stats.paths[`/input/val/${twiceName}`]?.sha).toBe(sha1(twiceBytes));
  for (const refused of ['empty.mp4', 'big.mp4', 'photo.png', over]) {
    expect(server.stats.paths[`/input/val/${refused}`]).toBeUndefined();
  }
  await expect(host.locator('[part=file]')).toHaveCount(3);
  expect(await errors(page)).toEqual([]);
});

test('names with unicode, spaces, #?%&+ and leading dots upload; the server stores the decoded names', async ({ page, server, request }) => {
  await recordDetails(page);
  const dir = 'input/名前 dir+#';
  const host = await openElementPage(page, server, { folder: dir });
  const stamp = Date.now().toString(36);
  const names = [
    `视频 ${stamp} 第1集.mp4`,
    `.hidden-${stamp}.mp4`,
    `..two dots ${stamp}.mp4`,
    `100% done #1 ?q=a&b=c+d ${stamp}.mp4`,
    `emoji 🎬 ${stamp} ~!'()*.mp4`,
  ];
  const files = names.map((name) => ({ name, buffer: randomBytes(server.sliceSize + 333) }));
  await choose(page, files);
  await expect(host.locator('[part=file][data-status=done]')).toHaveCount(names.length, { timeout: 30_000 });
  for (const { name, buffer } of files) {
    const row = host.locator('[part=file]').filter({ has: page.locator('.name', { hasText: name }) });
    await expect(row.locator('.name')).toHaveText(name);
    const stored = server.stats.completedFiles.find((f) => f.path === `/${dir}/${name}`);
    expect(stored, name).toMatchObject({ sha: sha1(buffer), size: buffer.length });
    // The link the row shows fetches exactly these bytes back.
    const href = await row.locator('[part=status] a').getAttribute('href');
    const back = await request.get(href!);
    expect(back.status()).toBe(200);
    expect(sha1(await back.body())).toBe(sha1(buffer));
  }
  expect(await rejects(page)).toEqual([]);
  expect(await errors(page)).toEqual([]);
});

// 90 Chinese characters (270 UTF-8 bytes) + '.mp4': a valid name on Windows and macOS, which count characters.
const longChineseName = (stamp: string): string => `${stamp}-${'视频'.repeat(45)}.mp4`;

test('a Chinese name of 90 characters (over 255 UTF-8 bytes) uploads; its link fetches the same bytes', async ({ page, server, request }) => {
  await recordDetails(page);
  const host = await openElementPage(page, server, { folder: 'input/long' });
  const name = longChineseName(Date.now().toString(36));
  expect(Buffer.byteLength(name)).toBeGreaterThan(255);
  const bytes = randomBytes(2 * server.sliceSize + 777);
  await choose(page, [{ name, buffer: bytes }]);
  const row = host.locator('[part=file]').filter({ has: page.locator('.name', { hasText: name }) });
  await expect(row).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  const stored = server.stats.completedFiles.find((f) => f.path === `/input/long/${name}`);
  expect(stored).toMatchObject({ sha: sha1(bytes), size: bytes.length });
  const back = await request.get((await row.locator('[part=status] a').getAttribute('href'))!);
  expect(back.status()).toBe(200);
  expect(sha1(await back.body())).toBe(sha1(bytes));
  expect(await rejects(page)).toEqual([]);
  expect(await errors(page)).toEqual([]);
});

test('a server that refuses a long name: the row shows its code and message, not retried', async ({ page, server }) => {
  await recordDetails(page);
  const host = await openElementPage(page, server, { folder: 'input/refused' });
  server.setFaults({ maxNameBytes: 255 });
  const name = longChineseName(Date.now().toString(36));
  const short = uniqueName('short');
  await choose(page, [
    { name, buffer: randomBytes(1000) },
    { name: short, buffer: randomBytes(1000) },
  ]);
  const row = host.locator('[part=file]').filter({ has: page.locator('.name', { hasText: name }) });
  await expect(row).toHaveAttribute('data-status', 'error', { timeout: 30_000 });
  const serverMessage = `ERROR_PATH_INVALID: the file name is ${Buffer.byteLength(name)} bytes long; this server allows at most 255`;
  await expect(row.locator('[part=status]')).toContainText(serverMessage);
  await expect(row.locator('[part=status]')).toContainText('code -4012');
  await expect(row.locator('[data-action=retry]')).toHaveCount(0);
  expect(await errors(page)).toEqual([{ name, code: -4012, message: expect.stringContaining(serverMessage) }]);
  // The name was the only problem: a short one in the same pick uploads.
  await expect(host.locator('[part=file]', { hasText: short })).toHaveAttribute('data-status', 'done');
  expect(server.stats.paths[`/input/refused/${name}`]?.requests).toBe(1);
  expect(await rejects(page)).toEqual([]);
});
