// The self-contained build on a plain static server: dist/vod-uploader.bundle.js loaded from a
// sub-folder under a strict CSP finds its worker beside it, and uploads to a server on another origin.
import { createHash, randomBytes } from 'node:crypto';
import { expect, test, uniqueName } from './helpers/server.js';
import { BUNDLE_PREFIX as PREFIX, startBundleServer, strictCsp, type BundleServer } from './helpers/bundle-server.js';

let bundleServer: BundleServer;

test.beforeAll(async ({ workerServer }) => {
  test.setTimeout(120_000);
  bundleServer = await startBundleServer(strictCsp(workerServer.url));
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
