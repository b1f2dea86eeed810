// The self-contained build on a plain static server: dist/vod-uploader.bundle.js loaded from a
// sub-folder under a strict CSP finds its worker beside it, and uploads to a server on another origin.
import { createHash, randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import type { Page } from '@playwright/test';
import { en } from '../../src/element/locales/en.js';
import { makeTestFile } from './helpers/files.js';
import { expect, test, uniqueName, type TestServer } from './helpers/server.js';
import { BUNDLE_PREFIX as PREFIX, startBundleServer, strictCsp, type BundleServer } from './helpers/bundle-server.js';

let bundleServer: BundleServer;
let defaultCsp = '';

test.beforeAll(async ({ workerServer }) => {
  test.setTimeout(120_000);
  defaultCsp = strictCsp(workerServer.url);
  bundleServer = await startBundleServer(defaultCsp);
});

test.afterEach(() => {
  bundleServer.csp = defaultCsp;
  bundleServer.requested.length = 0;
});

test.afterAll(async () => {
  await bundleServer?.close();
});

test('the bundle from a sub-folder, under a strict CSP, uploads to another origin', async ({ page, server }) => {
  const q = new URLSearchParams({ endpoint: server.endpoint, signatureUrl: server.signatureUrl, appid: server.appid, bucket: server.bucket });
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  await page.goto(`${bundleServer.origin}${PREFIX}?${q}`);
  await page.evaluate(() => customElements.whenDefined('vod-uploader'));

  const name = uniqueName('bundle');
  const bytes = randomBytes(3 * server.sliceSize + 17);
  await page.locator('vod-uploader [part=input]').setInputFiles({ name, mimeType: 'video/mp4', buffer: bytes });
  await expect(page.locator('vod-uploader [part=file]')).toHaveAttribute('data-status', 'done');
  expect(server.stats.completedFiles.find((f) => f.path === `/${name}`)?.sha).toBe(createHash('sha1').update(bytes).digest('hex'));

  const second = uniqueName('bundle-2');
  await page.locator('vod-uploader [part=input]').setInputFiles({ name: second, mimeType: 'video/mp4', buffer: randomBytes(5000) });
  await expect(page.locator('vod-uploader [part=file][data-status=done]')).toHaveCount(2);

  // The hash worker came from beside the bundle, not from the site root.
  const workerPaths = bundleServer.requested.filter((p) => /hash\.worker.*\.js$/.test(p));
  expect(workerPaths.length).toBeGreaterThan(0);
  expect(workerPaths.every((p) => p.startsWith(`${PREFIX}assets/`))).toBe(true);
  // The main-thread fallback's hashing code is not fetched where the worker runs.
  expect(bundleServer.requested.some((p) => /\/assets\/hash-core-/.test(p))).toBe(false);
  // The one expected refusal: the poster frame needs `media-src blob:`, which this CSP does not grant;
  // the element then stops trying (one report, not one per file). Nothing else may be refused.
  const violations = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
  expect(violations.filter((v) => v !== 'media-src blob')).toEqual([]);
  expect(violations.length).toBeLessThanOrEqual(1);
  expect(consoleErrors.filter((e) => /Content Security Policy|Refused/i.test(e) && !/media-src/.test(e))).toEqual([]);
  // Styles arrive as adopted stylesheets: the drop zone is styled although style-src forbids inline styles.
  const border = await page.locator('vod-uploader [part=dropzone]').evaluate((el) => getComputedStyle(el).borderStyle);
  expect(border).toBe('dashed');
});

async function openBundlePage(page: Page, server: TestServer): Promise<void> {
  const q = new URLSearchParams({ endpoint: server.endpoint, signatureUrl: server.signatureUrl, appid: server.appid, bucket: server.bucket });
  await page.goto(`${bundleServer.origin}${PREFIX}?${q}`);
  await page.evaluate(() => customElements.whenDefined('vod-uploader'));
}

test('a CSP that blocks the worker (worker-src none): hashing falls back to the main thread, the upload completes', async ({ page, server }) => {
  bundleServer.csp = strictCsp(server.url, { worker: "'none'" });
  await openBundlePage(page, server);
  const name = uniqueName('no-worker');
  const bytes = randomBytes(3 * server.sliceSize + 17);
  await page.locator('vod-uploader [part=input]').setInputFiles({ name, mimeType: 'video/mp4', buffer: bytes });
  await expect(page.locator('vod-uploader [part=file]')).toHaveAttribute('data-status', 'done');
  expect(server.stats.completedFiles.find((f) => f.path === `/${name}`)?.sha).toBe(createHash('sha1').update(bytes).digest('hex'));
  const violations = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
  expect(violations.some((v) => v.startsWith('worker-src'))).toBe(true);
  // The fallback came as its own chunk, only now; the worker was never fetched.
  expect(bundleServer.requested.some((p) => /\/assets\/hash-core-[\w-]+\.js$/.test(p))).toBe(true);
  expect(bundleServer.requested.some((p) => /hash\.worker/.test(p))).toBe(false);
});

test('worker and WebAssembly both refused: "hashing unavailable" with a Retry; choosing the file again replaces the row', async ({ page, server }) => {
  bundleServer.csp = strictCsp(server.url, { worker: "'none'", script: "'self'" });
  await openBundlePage(page, server);
  // On disk, so that choosing it again gives the same name, size and modification time.
  const file = makeTestFile(2 * server.sliceSize, { name: uniqueName('no-wasm') });
  const name = basename(file.path);
  const input = page.locator('vod-uploader [part=input]');
  await input.setInputFiles(file.path);
  const row = page.locator('vod-uploader [part=file]');
  await expect(row).toHaveAttribute('data-status', 'error');
  await expect(row.locator('[part=status]')).toHaveText(`${en.errorHashing} (${en.errorCode.replace('{code}', 'hashing-unavailable')})`);
  const retry = row.getByRole('button', { name: `Retry ${name}` });
  await expect(retry).toBeVisible();
  await retry.click();
  await expect(row).toHaveAttribute('data-status', 'error');
  await expect(row.locator('[part=status]')).toContainText(en.errorHashing);

  // The same file again is not "already in the list": it takes the errored row's place.
  const firstId = await row.getAttribute('data-id');
  await input.setInputFiles(file.path);
  await expect(row).not.toHaveAttribute('data-id', firstId!);
  await expect(row).toHaveCount(1);
  await expect(page.locator('vod-uploader .notice')).toHaveCount(0);
  await expect(row).toHaveAttribute('data-status', 'error');
  expect(server.stats.paths[`/${name}`]).toBeUndefined();
  file.cleanup();
});
